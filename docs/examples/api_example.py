"""chuyende API, a short example (docs/api.md): sign in with a personal access token, list this
quarter's sessions of a cell, upload a draft for one of them and read the comments on it.

    pip install requests
    CHUYENDE_URL=https://chibo.example.vn CHUYENDE_TOKEN=cd_... python api_example.py <cell id> <draft.docx>

The token is made on the account page ("Mã truy cập API"), read-write to upload. The draft can be
uploaded only by the session's presenter, while the session is being prepared.
"""

import os
import sys
import uuid
from datetime import date

import requests

BASE = os.environ.get("CHUYENDE_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/v1"
api = requests.Session()
api.headers["Authorization"] = f"Bearer {os.environ['CHUYENDE_TOKEN']}"
api.headers["Accept-Language"] = "vi"


def call(method: str, path: str, **kwargs):
    """One request; a refusal is printed as the page would say it, then the script stops."""
    response = api.request(method, BASE + path, timeout=30, **kwargs)
    if response.status_code >= 400:
        error = response.json()  # {"code": ..., "message": ..., "fields": {...}}
        sys.exit(f"{method} {path}: {error['message']} {error['fields'] or ''}")
    return response.json() if response.content else None


def main(cell_id: int, draft_path: str) -> None:
    me = call("GET", "/me")
    print(f"Xin chào {me['full_name']}")

    today = date.today()
    quarter = (today.month - 1) // 3 + 1
    sessions = call(
        "GET", "/sessions", params={"cell": cell_id, "year": today.year, "quarter": quarter, "page_size": 100}
    )
    print(f"Quý {quarter}/{today.year}: {sessions['count']} buổi sinh hoạt chuyên đề")
    for session in sessions["items"]:
        print(f"  #{session['id']} {session['title']} ({session['status']})")

    # The first session the caller presents, still in preparation: upload the draft as a new version.
    mine = [s for s in sessions["items"] if me["member_id"] in [p["id"] for p in s["presenters"]]]
    if not mine:
        sys.exit("Đồng chí không trình bày buổi nào trong quý này.")
    session_id = mine[0]["id"]
    with open(draft_path, "rb") as draft:
        version = call(
            "POST",
            f"/sessions/{session_id}/draft/versions",
            files={"file": (os.path.basename(draft_path), draft)},
            data={"note": "Tải lên bằng API"},
            # Sent again with the same key after a dropped connection, it cannot make a second version.
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    print(f"Đã tải lên phiên bản {version['number']}")

    comments = call("GET", f"/sessions/{session_id}/comments", params={"page_size": 100})
    print(f"{comments['count']} góp ý")
    for comment in comments["items"]:
        author = comment["author"]["full_name"] if comment["author"] else "—"
        print(f"  [{comment['anchor'] or 'chung'}] {author}: {comment['body']}")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
