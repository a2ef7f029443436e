"""The newsletters' Celery jobs. `run_newsletters` runs every minute (CELERY_BEAT_SCHEDULE): it assembles
what is due and starts sending; each batch of recipients is its own job, retried with backoff."""

from celery import shared_task

from articles.newsletters import issues, optin, sending


@shared_task(ignore_result=True)
def run_newsletters():
    """Assemble due issues and start sending them: one `send_issue_batch` job per batch of recipients.
    Batches of an issue whose sending stalled are sent again (sending.stalled_batches)."""
    for issue in issues.due_issues():
        for batch in sending.start_sending(issue):
            send_issue_batch.delay_on_commit(issue.pk, batch)
    for issue_id, batch in sending.stalled_batches():
        send_issue_batch.delay_on_commit(issue_id, batch)


@shared_task(bind=True, acks_late=True, max_retries=8, ignore_result=True)
def send_issue_batch(self, issue_id, delivery_ids):
    """Send one batch; temporary failures are tried again after 1, 2, 4... minutes (at most an hour)."""
    try:
        sending.send_batch(issue_id, delivery_ids)
    except sending.TemporaryFailure as failure:
        countdown = min(60 * 2**self.request.retries, 3600)
        raise self.retry(exc=failure, countdown=countdown) from failure


@shared_task(ignore_result=True)
def purge_newsletter_personal_data():
    """The retention rule of articles/newsletters/optin.py, daily."""
    return optin.purge_personal_data()
