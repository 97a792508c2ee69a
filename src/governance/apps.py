from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Gouvernance"

    def ready(self):
        from core import navigation

        navigation.register(
            "Gouvernance",
            "governance:home",
            order=70,
            group="Pilotage",
            description="Les comités pour l'emploi, leurs réunions et le suivi des engagements du protocole.",
        )
