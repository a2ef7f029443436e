from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.roles import ROLE_PERMISSIONS


class Command(BaseCommand):
    help = "Give a newsroom login a role (Journalist, Editor, Moderator), or take it away with --remove."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=", ".join(ROLE_PERMISSIONS))
        parser.add_argument("--remove", action="store_true", help="take the role away instead")

    def handle(self, *args, username, role, remove, **options):
        names = {name.lower(): name for name in ROLE_PERMISSIONS}
        if role.lower() not in names:
            raise CommandError(f"Unknown role {role!r}: choose one of {', '.join(ROLE_PERMISSIONS)}.")
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No login named {username!r}.") from None
        group = Group.objects.get(name=names[role.lower()])
        if remove:
            user.groups.remove(group)
            self.stdout.write(f"{username} is no longer {group.name}.")
            return
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True  # roles work in the admin
            user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} is now {group.name}."))
