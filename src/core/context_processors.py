from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class SiteConfig:
    """What django-dsfr's templates read as SITE_CONFIG, taken from settings instead of a database row."""

    site_title: str
    site_tagline: str
    footer_description: str
    header_brand_html: str = "République<br>française"
    footer_brand_html: str = "République<br>française"
    footer_brand: str = "République française"
    beta_tag: bool = True
    mourning: bool = False
    notice_title: str = ""
    notice_description: str = ""


def site(request):
    config = SiteConfig(
        site_title=settings.NETWORK_NAME,
        site_tagline="La plateforme partagée des partenaires de l'emploi",
        footer_description=(
            "Plateforme commune de France Travail, de la Région, de l'État, des départements, des missions locales, "
            "de Cap emploi et de leurs partenaires."
        ),
    )
    return {"SITE_CONFIG": config, "REGION_CODE": settings.REGION_CODE}


def navigation(request):
    from core.navigation import items_for

    current = request.resolver_match.view_name if request.resolver_match else ""
    namespace = current.split(":")[0] if ":" in current else ""
    items = items_for(request.user)
    return {
        "nav_items": [
            {
                "item": item,
                "current": item.url_name == current
                or (namespace and item.url_name.split(":")[0] == namespace and item.url_name != "core:home"),
            }
            for item in items
        ]
    }
