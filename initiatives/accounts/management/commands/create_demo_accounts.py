"""`manage.py create_demo_accounts`: two logins for trying the site locally. Never in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from initiatives.models import MembershipRole, Organisation, OrganisationMembership

PASSWORD = "mk-demo-password"
STAFF_USERNAME = "demo-staff"
EDITOR_USERNAME = "demo-editor"
EDITOR_ORGANISATION = "works-for-us"


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo logins: demo-staff (directory staff) and demo-editor (a manager "
        f"of Works for Us), both with the password {PASSWORD}. Refused unless ALLOW_DEMO_ACCOUNTS is on."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.ALLOW_DEMO_ACCOUNTS:
            raise CommandError(
                "Demo accounts are for local use only; these settings (ALLOW_DEMO_ACCOUNTS off) refuse them."
            )
        organisation = Organisation.objects.filter(slug=EDITOR_ORGANISATION).first()
        if organisation is None:
            raise CommandError(f"No organisation '{EDITOR_ORGANISATION}': run `manage.py load_demo` first.")
        self.account(STAFF_USERNAME, "Demo", "Staff", is_staff=True)
        editor = self.account(EDITOR_USERNAME, "Demo", "Editor", is_staff=False)
        OrganisationMembership.objects.update_or_create(
            user=editor, organisation=organisation, defaults={"role": MembershipRole.MANAGER}
        )
        self.stdout.write(
            self.style.SUCCESS("Demo logins (local use only) at http://127.0.0.1:8000/accounts/login/:")
        )
        self.stdout.write(
            f"  {STAFF_USERNAME} / {PASSWORD}  directory staff: starts at Work to do, /manage/work-to-do/"
        )
        self.stdout.write(
            f"  {EDITOR_USERNAME} / {PASSWORD}  manager of {organisation.name}: edits in /manage/"
        )

    def account(self, username: str, first_name: str, last_name: str, *, is_staff: bool):
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.invalid",
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": is_staff,
                "is_superuser": is_staff,
                "is_active": True,
            },
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user
