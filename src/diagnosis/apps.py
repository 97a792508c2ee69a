from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "diagnosis"
    verbose_name = "Diagnostic territorial partagé"

    def ready(self):
        from core import navigation

        navigation.register(
            "Diagnostic territorial",
            "diagnosis:index",
            order=60,
            group="Pilotage",
            description="Le diagnostic partagé : métiers en tension, besoins de recrutement et offre de formation.",
        )
