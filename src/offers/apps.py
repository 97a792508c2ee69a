from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offres d'emploi"

    def ready(self):
        from core import navigation

        navigation.register(
            "Offres d'emploi",
            "offers:search",
            order=30,
            login_required=False,
            group="Offres et entreprises",
            description="Les offres de tous les opérateurs du réseau, dédoublonnées et codées en ROME.",
        )
