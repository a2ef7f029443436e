import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles import roles
from articles.embeds import load_demo_embeds
from articles.fronts import publish_front
from articles.history import record
from articles.images.renditions import build_renditions, renditions_outdated
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEvent,
    ArticleReadCount,
    Author,
    Container,
    FrontPage,
    Image,
    Layout,
    LiveUpdate,
    NewsAlert,
    Page,
    Pin,
    Section,
    Source,
)
from comments import picks, posting, recommendations
from comments.models import Comment, ReaderProfile, Recommendation
from newsmag.demo import content as demo_content
from newsmag.demo import live as demo_live
from newsmag.demo.images import draw
from newsmag.demo.newsletters import load_newsletters

# Demo logins: for trying the site locally, never for a public server.
DEMO_USERS = [
    # username, password, role group (None: superuser), first name, last name, author slug
    ("admin", "newsmag-admin", None, "Site", "Admin", None),
    ("editor", "newsmag-editor", roles.EDITOR, "Erik", "Stone", None),
    ("maria", "newsmag-maria", roles.JOURNALIST, "Maria", "Keller", "maria-keller"),
    ("moderator", "newsmag-moderator", roles.MODERATOR, "Mo", "Reyes", None),
]


def body_with_references(body, images, embeds):
    """The demo body with each {image:key} and {embed:key} replaced by that demo image's or embed's id
    (bodies store references)."""
    body = re.sub(r"\{image:([a-z0-9-]+)\}", lambda match: str(images[match[1]].pk), body)
    return re.sub(r"\{embed:([a-z0-9-]+)\}", lambda match: str(embeds[match[1]].pk), body)


class Command(BaseCommand):
    help = "Load the demo newsroom: sections, authors, images, articles, comments and logins. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        users = self.load_users()
        sections = {
            spec["slug"]: Section.objects.get_or_create(
                slug=spec["slug"],
                defaults={"name": spec["name"], "description": spec["description"], "position": position},
            )[0]
            for position, spec in enumerate(demo_content.SECTIONS)
        }
        authors = {
            spec["slug"]: Author.objects.get_or_create(
                slug=spec["slug"], defaults={key: spec[key] for key in ("name", "role", "bio")}
            )[0]
            for spec in demo_content.AUTHORS
        }
        for user in users.values():
            if user.username == "maria" and authors["maria-keller"].user_id is None:
                authors["maria-keller"].user = user
                authors["maria-keller"].save(update_fields=["user"])
        images = {spec["key"]: self.load_image(spec) for spec in demo_content.IMAGES}
        # Their oEmbed answers ship with the demo: no network is needed.
        embeds = {embed.provider: embed for embed in load_demo_embeds()}
        created = 0
        for spec in demo_content.ARTICLES:
            _, was_created = self.load_article(spec, sections, authors, images, embeds, now, users["editor"])
            created += was_created
        created += self.load_live_story(sections, authors, images, embeds, now, users)
        self.load_comments(users["maria"], now)
        self.load_reader(now)
        self.load_comment_reactions(users["moderator"])
        self.load_reads(now)
        self.load_front(sections, users["editor"])
        self.load_breaking_alert(now, users["editor"])
        self.load_pages()
        load_newsletters(sections, now)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} articles added)."))
        self.stdout.write("Demo logins (the newsroom is at /admin/):")
        for username, password, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {role or 'Superuser':<11} {username:<10} password: {password}")
        reader = demo_content.DEMO_READER
        self.stdout.write(
            f"Demo reader (sign in at /accounts/login/): {reader['email']} password: {reader['password']}"
        )

    def load_pages(self):
        """The site pages (About, Contact, Privacy, Terms, Imprint), each made once: an edit stays."""
        for position, spec in enumerate(demo_content.PAGES):
            body = spec["body"].format(
                comment_data_days=settings.NEWSMAG_COMMENT_PERSONAL_DATA_DAYS,
                newsletter_confirm_days=settings.NEWSMAG_NEWSLETTER_CONFIRM_DAYS,
                unverified_account_days=settings.NEWSMAG_UNVERIFIED_ACCOUNT_DAYS,
                deleted_reader_name=settings.NEWSMAG_DELETED_READER_NAME,
            )
            fields = {"title": spec["title"], "summary": spec["summary"], "body": body, "position": position}
            Page.objects.get_or_create(slug=spec["slug"], defaults=fields)

    def load_users(self):
        users = {}
        for username, password, role, first_name, last_name, _ in DEMO_USERS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@newsmag.example",
                    "is_staff": True,
                    "is_superuser": role is None,
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
                if role:
                    user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def load_image(self, spec):
        image = Image.objects.filter(title=spec["title"]).first()
        if image:
            # A demo loaded before renditions existed, or before the current rendition set.
            if not image.renditions or renditions_outdated(image.renditions):
                image.renditions = build_renditions(image)
                image.save(update_fields=["renditions"])
            return image
        fields = ("caption", "alt_text", "credit", "creator", "copyright_notice", "source_type", "ai_system")
        image = Image(title=spec["title"], **{key: spec[key] for key in fields})
        image.file.save(f"{spec['key']}.jpg", ContentFile(draw(spec)), save=False)
        image.full_clean()
        image.save()
        image.renditions = build_renditions(image)
        image.save(update_fields=["renditions"])
        return image

    def load_article(self, spec, sections, authors, images, embeds, now, editor):
        status = {"published": Article.Status.PUBLISHED, "draft": Article.Status.DRAFT}.get(
            spec["status"], Article.Status.REVIEW
        )
        article, created = Article.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "section": sections[spec["section"]],
                "kicker": spec["kicker"],
                "headline": spec["headline"],
                "dek": spec["dek"],
                "body": body_with_references(spec["body"], images, embeds),
                "source_label": spec["source_label"],
                "lead_image": images.get(spec["image"]),
                "status": status,
                "publish_at": now - timedelta(hours=spec["hours_ago"])
                if status == Article.Status.PUBLISHED
                else None,
                "featured": spec["featured"],
                "created_by": editor,
            },
        )
        if created:
            for position, slug in enumerate(spec["authors"]):
                ArticleAuthor.objects.create(article=article, author=authors[slug], position=position)
            article.tags.set(spec["tags"])
            record(article, ArticleEvent.Action.CREATED, by=editor, note="Demo content")
        return article, created

    def load_front(self, sections, editor):
        """The curated home page, published: the desk's lead pinned, top stories, two sections, a tag,
        latest and most read. Left alone once the desk has arranged or published the page."""
        home = FrontPage.objects.home()
        if home.live_revision_id or home.containers.exists():
            return
        lead = Article.objects.published().filter(slug="night-baker-kessling").first()
        climate = Tag.objects.filter(slug="climate").first()
        # Sized for the demo's dozen stories: every container has some, and most read (which leaves out
        # what the page shows) has some left.
        specs = [
            {"source": Source.TOP, "layout": Layout.LEAD, "pins": [lead] if lead else []},
            {"source": Source.TOP, "layout": Layout.GRID, "size": 2},
            {"source": Source.SECTION, "layout": Layout.ROW, "section": sections["world"], "size": 1},
            {"source": Source.SECTION, "layout": Layout.ROW, "section": sections["culture"], "size": 1},
            {"source": Source.TAG, "layout": Layout.GRID, "tag": climate, "title": "Climate", "size": 2}
            if climate
            else None,
            {"source": Source.LATEST, "layout": Layout.LIST, "size": 2},
            {"source": Source.MOST_READ, "layout": Layout.LIST},
        ]
        for position, spec in enumerate(filter(None, specs), start=1):
            pins = spec.pop("pins", [])
            container = Container.objects.create(front=home, position=position, **spec)
            for number, article in enumerate(pins, start=1):
                Pin.objects.create(container=container, article=article, position=number)
        publish_front(front=home, by=editor, note="Demo front page")

    def load_breaking_alert(self, now, editor):
        """The demo's breaking news banner: left alone while it runs, made afresh once it has expired."""
        spec = demo_content.BREAKING_ALERT
        article = Article.objects.get(slug=spec["article"])
        demo_alerts = NewsAlert.objects.filter(article=article, text=spec["text"])
        if demo_alerts.active(now).exists():
            return
        NewsAlert.objects.create(
            kind=spec["kind"],
            text=spec["text"],
            article=article,
            starts_at=now,
            expires_at=now + timedelta(hours=spec["hours"]),
            created_by=editor,
        )

    def load_live_story(self, sections, authors, images, embeds, now, users):
        """One live story, live (not ended), with a dozen updates over the last hours; once."""
        spec = demo_live.LIVE_STORY
        started = now - timedelta(minutes=spec["started_minutes_ago"])
        article, created = Article.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "section": sections[spec["section"]],
                "kicker": spec["kicker"],
                "headline": spec["headline"],
                "dek": spec["dek"],
                "body": spec["body"],
                "status": Article.Status.PUBLISHED,
                "publish_at": started,
                "live_coverage": Article.LiveCoverage.LIVE,
                "coverage_started_at": started,
                "live_summary": spec["summary"],
                "created_by": users["editor"],
            },
        )
        if not created:
            return False
        for position, slug in enumerate(spec["authors"]):
            ArticleAuthor.objects.create(article=article, author=authors[slug], position=position)
        article.tags.set(spec["tags"])
        record(article, ArticleEvent.Action.CREATED, by=users["editor"], note="Demo content")
        posters = {"maria-keller": users["maria"]}
        for minutes, author, headline, body, key_event in demo_live.LIVE_UPDATES:
            LiveUpdate.objects.create(
                article=article, author=authors[author], created_by=posters.get(author, users["editor"]),
                published_at=now - timedelta(minutes=minutes), headline=headline,
                body=body_with_references(body, images, embeds), key_event=key_event,
            )  # fmt: skip
        return True

    def load_reads(self, now):
        """Read counts for the "most read" lists (yesterday's and today's, as if readers had come)."""
        if ArticleReadCount.objects.exists():
            return
        published = list(Article.objects.published().order_by("publish_at"))
        ArticleReadCount.objects.bulk_create(
            ArticleReadCount(article=article, day=timezone.localdate(now), count=(position * 37) % 400 + 20)
            for position, article in enumerate(published, start=1)
        )

    def load_comments(self, author_user, now):
        """The demo thread. Published comments are stored as a moderator left them; held ones go through
        the moderation pipeline like any reader's, so the queue shows the reasons it holds them for."""
        article = Article.objects.get(slug=demo_content.COMMENT_ARTICLE)
        if article.comments.exists():
            self.explain_held(article)
            return
        posted = [now - timedelta(minutes=120)]  # seven minutes apart, the newest some minutes ago

        def add(specs, parent):
            for spec in specs:
                posted[0] += timedelta(minutes=7)
                by_author = spec.get("by_author", False)
                fields = {
                    "article": article,
                    "parent": parent,
                    "name": author_user.get_full_name() if by_author else spec["name"],
                    "email": author_user.email if by_author else spec["email"],
                    "body": spec["body"],
                }
                if spec["status"] == Comment.Status.PENDING:
                    comment = self.submit(**fields, posted=posted[0])
                else:
                    comment = Comment.objects.create(
                        **fields,
                        user=author_user if by_author else None,
                        status=spec["status"],
                        created_at=posted[0],
                    )
                add(spec.get("replies", []), comment)

        add(demo_content.COMMENTS, None)

    def load_reader(self, now):
        """The demo reader: a verified account with a display name, and their published comment in the demo
        thread (made with the account: a second run changes nothing)."""
        spec = demo_content.DEMO_READER
        user, created = get_user_model().objects.get_or_create(
            username="carlos", defaults={"email": spec["email"], "date_joined": now - timedelta(days=30)}
        )
        if created:
            user.set_password(spec["password"])
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=spec["email"], defaults={"verified": True, "primary": True}
        )
        ReaderProfile.objects.get_or_create(user=user, defaults={"display_name": spec["display_name"]})
        article = Article.objects.get(slug=demo_content.COMMENT_ARTICLE)
        if created and not article.comments.filter(user=user).exists():
            Comment.objects.create(
                article=article,
                user=user,
                name=spec["display_name"],
                email=spec["email"],
                body=spec["comment"],
                status=Comment.Status.APPROVED,
                created_at=now - timedelta(minutes=3),
            )

    def load_comment_reactions(self, moderator):
        """Readers' recommendations and the Editor's pick of the demo thread (also added to a demo loaded
        before they existed). The recommendations are stored as readers' browsers would leave them (a
        hashed token each), without the network limits one loader's address would meet."""
        article = Article.objects.get(slug=demo_content.COMMENT_ARTICLE)
        if Recommendation.objects.filter(comment__article=article).exists():
            return
        by_body = {comment.body: comment for comment in article.comments.approved()}

        def every(specs):
            for spec in specs:
                yield spec
                yield from every(spec.get("replies", []))

        picked = []
        for spec in every(demo_content.COMMENTS):
            comment = by_body.get(spec["body"])
            if comment is None:
                continue
            count = spec.get("recommendations", 0)
            Recommendation.objects.bulk_create(
                Recommendation(
                    comment=comment, token_hash=recommendations.token_hash(f"demo-{comment.pk}-{n}")
                )
                for n in range(count)
            )
            Comment.objects.filter(pk=comment.pk).update(recommendation_count=count)
            if spec.get("pick"):
                picked.append(comment)
        picks.set_pick(picked, user=moderator)

    def submit(self, *, posted, **fields):
        """A reader's comment through the pipeline (posting.submit_comment), sent a minute after the form
        was shown, dated `posted`."""
        article = fields["article"]
        issued = posting.make_form_token(article, now=timezone.now() - timedelta(minutes=1))
        comment = posting.submit_comment(**fields, form_token=issued)
        Comment.objects.filter(pk=comment.pk).update(created_at=posted)
        return comment

    def explain_held(self, article):
        """Demos loaded before held comments went through the pipeline stored them without reasons: give
        them the reasons the pipeline's content checks find now (it gives every comment it holds at least
        one, so the second run finds nothing to do)."""
        for held in article.comments.in_moderation().filter(moderation_reasons=[]):
            _verdict, reasons = posting.recheck(held)
            if reasons:
                Comment.objects.filter(pk=held.pk).update(moderation_reasons=reasons)
