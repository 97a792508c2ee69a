from django.conf import settings
from django.core.exceptions import ValidationError


def validate_upload_size(upload) -> None:
    """Refuse an uploaded file over settings.MAX_UPLOAD_SIZE, saying both sizes."""
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            "Le fichier pèse %(size).1f Mo, au-delà de la limite de %(limit).0f Mo : importez-le en ligne de "
            "commande (voir la documentation).",
            params={"size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
        )
