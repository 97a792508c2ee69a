from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Offre de formation"

    def ready(self):
        from core import navigation

        navigation.register(
            "Offre de formation",
            "training:sessions",
            order=61,
            group="Pilotage",
            description="Les sessions de formation et les places en apprentissage.",
        )
