from django.db import models


class ScheduledTaskRun(models.Model):
    """One run of a scheduled task (`reseau-emploi run-scheduled-tasks`): when, how it ended, what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", "En cours"
        SUCCEEDED = "succeeded", "Réussie"
        FAILED = "failed", "Échouée"

    task = models.CharField("tâche", max_length=60, db_index=True)
    started_at = models.DateTimeField("début", auto_now_add=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.RUNNING)
    outcome = models.TextField("résultat", blank=True)

    class Meta:
        verbose_name = "exécution de tâche planifiée"
        verbose_name_plural = "exécutions de tâches planifiées"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.task} — {self.started_at:%d/%m/%Y %H:%M} — {self.get_status_display()}"
