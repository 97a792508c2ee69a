from django.core.management.base import BaseCommand, CommandError

from accounts.fake_proconnect import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, RunningProvider


class Command(BaseCommand):
    help = (
        "Run a local fake ProConnect (OpenID Connect provider) on the loopback, to try the ProConnect login "
        "without the real federation. Never for production: it signs any identity typed into its form."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
        parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)

    def handle(self, *args, port, client_id, client_secret, **options):
        try:
            running = RunningProvider(
                port=port, quiet=False, client_id=client_id, client_secret=client_secret
            )
        except OSError as exc:
            raise CommandError(f"Cannot listen on 127.0.0.1:{port}: {exc}") from exc
        self.stdout.write(
            "Fake ProConnect on "
            f"{running.base_url}\nStart the app in another terminal with:\n\n"
            f"  PROCONNECT_ENABLED=1 PROCONNECT_BASE_URL={running.base_url} \\\n"
            f"  PROCONNECT_CLIENT_ID={client_id} PROCONNECT_CLIENT_SECRET={client_secret} \\\n"
            "  .venv/bin/reseau-emploi runserver 127.0.0.1:8000 --noreload\n\nCtrl-C to stop."
        )
        with running:
            try:
                running.thread.join()
            except KeyboardInterrupt:
                self.stdout.write("Stopped.")
