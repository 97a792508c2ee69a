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
    from core.navigation import NavGroup, items_for, menu_for

    current = request.resolver_match.view_name if request.resolver_match else ""
    namespace = current.split(":")[0] if ":" in current else ""

    items = items_for(request.user)
    exact = any(item.url_name == current for item in items)

    def is_current(item) -> bool:
        # The page's own entry when it has one, else the entry of its app.
        if exact:
            return item.url_name == current
        return bool(namespace) and item.url_name != "core:home" and item.url_name.split(":")[0] == namespace

    menu = []
    for entry in menu_for(request.user):
        if isinstance(entry, NavGroup):
            links = [{"item": item, "current": is_current(item)} for item in entry.items]
            menu.append(
                {"group": entry.label, "links": links, "current": any(link["current"] for link in links)}
            )
        else:
            menu.append({"item": entry, "current": is_current(entry)})
    return {"nav_menu": menu, "nav_items": [{"item": item} for item in items]}
