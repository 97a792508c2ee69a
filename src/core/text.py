import unicodedata

# Byte -> byte: ASCII letters lower-cased, digits kept, everything else a space (one C call for the whole text).
_ASCII_FOLD = bytes(
    code + 32 if 65 <= code <= 90 else code if 48 <= code <= 57 or 97 <= code <= 122 else 32
    for code in range(256)
)


def fold(text: str | None) -> str:
    """Lower-case ASCII form for accent- and punctuation-insensitive matching: "Aide-soignant(e)" -> "aide soignant e"."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    # Accents dropped with the other non-ASCII characters, then runs of punctuation and spaces made one space.
    return " ".join(text.encode("ascii", "ignore").translate(_ASCII_FOLD).decode("ascii").split())
