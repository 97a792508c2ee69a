from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "diagnosis"
    verbose_name = "Diagnostic territorial partagé"

    def ready(self):
        from core import navigation

        navigation.register("Diagnostic territorial", "diagnosis:index", order=60)
