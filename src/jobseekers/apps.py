from django.apps import AppConfig


class JobseekersConfig(AppConfig):
    name = "jobseekers"
    verbose_name = "Personnes suivies"

    def ready(self):
        from core import navigation

        navigation.register(
            "Personnes suivies",
            "jobseekers:list",
            order=50,
            group="Accompagnement",
            description="Les dossiers des personnes que vous accompagnez, leurs projets et leurs aides.",
        )
        navigation.register(
            "Aides mobilisées",
            "jobseekers:dashboard",
            order=51,
            group="Accompagnement",
            description="Les aides demandées et accordées par aide, organisme et bassin.",
        )
