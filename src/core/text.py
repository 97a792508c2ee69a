import unicodedata

# Byte -> byte: ASCII letters lower-cased, digits kept, everything else a space (one C call for the whole text).
_ASCII_FOLD = bytes(
    code + 32 if 65 <= code <= 90 else code if 48 <= code <= 57 or 97 <= code <= 122 else 32
    for code in range(256)
)
# In UTF-8, a combining accent (U+0300-U+036F, left by NFKD) is a lead byte 0xCC or 0xCD plus a continuation byte:
# `fast_fold` deletes those bytes, so the accent vanishes; any other non-ASCII character keeps its lead byte, which
# becomes a space ("l’équipe" -> "l equipe", not "lequipe").
_UTF8_DROPPED = bytes([0xCC, 0xCD, *range(0x80, 0xC0)])
_LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"), ("ß", "ss"))


def fold(text: str | None) -> str:
    """Lower-case ASCII form for accent- and punctuation-insensitive matching: "Aide-soignant(e)" -> "aide soignant e"."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    # Accents dropped with the other non-ASCII characters, then runs of punctuation and spaces made one space.
    return " ".join(text.encode("ascii", "ignore").translate(_ASCII_FOLD).decode("ascii").split())


def fast_fold(text: str) -> str:
    """Lower-case ASCII letters and digits, accents dropped, every other character a space, one character for one
    (bytes.translate in C on the whole text, runs of spaces left as they are): the words of `fold`, except that
    typographic apostrophes and dashes separate words instead of gluing them."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    for ligature, letters in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFKD", text).encode("utf-8")
    return decomposed.translate(_ASCII_FOLD, _UTF8_DROPPED).decode("ascii")
