"""Draws the app icons of push/static/push/ (the manifest's, the home-screen icon of iPhones, the
favicon): a white sheet with lines of text on the site's red. Run from the repository root."""

from PIL import Image, ImageDraw

RED = (179, 38, 30)
WHITE = (255, 255, 255)
LINE = (179, 38, 30)
BG = (250, 248, 246)


def draw(size, maskable=False, rounded=True):
    S = size * 4
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if maskable or not rounded:
        d.rectangle([0, 0, S, S], fill=RED)
    else:
        d.rounded_rectangle([0, 0, S - 1, S - 1], radius=int(S * 0.2), fill=RED)
    # a sheet of paper with a folded corner, lines of text: the draft
    scale = 0.56 if maskable else 0.68
    w = S * scale * 0.78
    h = S * scale
    x0 = (S - w) / 2
    y0 = (S - h) / 2
    x1 = x0 + w
    y1 = y0 + h
    f = w * 0.28
    d.polygon([(x0, y0), (x1 - f, y0), (x1, y0 + f), (x1, y1), (x0, y1)], fill=WHITE)
    d.polygon([(x1 - f, y0), (x1 - f, y0 + f), (x1, y0 + f)], fill=(240, 200, 196))
    lw = max(4, int(h * 0.055))
    for i, frac in enumerate([0.34, 0.5, 0.66, 0.82]):
        y = y0 + h * frac
        right = x1 - w * 0.14 if i < 3 else x0 + w * 0.55
        d.rounded_rectangle([x0 + w * 0.14, y - lw / 2, right, y + lw / 2], radius=lw // 2, fill=LINE)
    img = img.resize((size, size), Image.Resampling.LANCZOS)
    if not rounded or maskable:
        img = img.convert("RGB")
    return img


out = "push/static/push/"
draw(192).save(out + "icon-192.png", optimize=True)
draw(512).save(out + "icon-512.png", optimize=True)
draw(512, maskable=True).save(out + "icon-maskable-512.png", optimize=True)
draw(180, rounded=False).save(out + "apple-touch-icon.png", optimize=True)
draw(32).save(out + "favicon-32.png", optimize=True)
