"""Types and bounds the API's schemas share."""

import datetime as dt
from typing import Annotated

from pydantic import WithJsonSchema

# A time of day in the organisation's local time (Asia/Ho_Chi_Minh, the time written on the notice and
# in the minutes), sent without an offset. OpenAPI's "time" format is RFC 3339's full-time, which
# requires an offset; this says what is really sent and accepted: "14:00" or "14:00:00".
LocalTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "Giờ địa phương (giờ Việt Nam), không kèm múi giờ: HH:MM hoặc HH:MM:SS.",
        }
    ),
]


# The largest id a database row can have (a signed 64-bit integer): a filter or id beyond it is a field
# error (422), never a number SQLite cannot even compare.
ID_MAX = 2**63 - 1
# The years the app plans and reports (the records' own filters keep to these).
YEAR_MIN, YEAR_MAX = 2000, 2100
