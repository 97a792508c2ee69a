from django.apps import AppConfig


class JobseekersConfig(AppConfig):
    name = "jobseekers"
