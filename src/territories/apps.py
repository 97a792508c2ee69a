from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires"

    def ready(self):
        from core.navigation import register

        register(
            "Territoires",
            "territories:index",
            order=10,
            login_required=False,
            group="Référentiels",
            description="Départements, EPCI, communes, zones d'emploi et bassins France Travail de la région.",
        )
