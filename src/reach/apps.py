from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "reach"
