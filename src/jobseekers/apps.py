from django.apps import AppConfig


class JobseekersConfig(AppConfig):
    name = "jobseekers"
    verbose_name = "Personnes suivies"

    def ready(self):
        from core import navigation

        navigation.register("Personnes suivies", "jobseekers:list", order=50)
        navigation.register("Aides mobilisées", "jobseekers:dashboard", order=51)
