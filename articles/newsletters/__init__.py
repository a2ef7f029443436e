"""Email newsletters: double opt-in subscriptions, issues assembled from published stories, sending in
batches by the task queue, one-click unsubscribe, suppression of addresses that bounce or complain.

- `tokens.py`: the signed links (confirm: expiring; unsubscribe: one per subscriber and newsletter).
- `suppression.py`: the addresses never mailed again, and the provider webhook's events.
- `optin.py`: subscribe, confirm, unsubscribe, the reader's data export, the personal-data purge.
- `issues.py`: the schedule and the assembly of issues from `Article.objects.published()`.
- `mail.py`: what one email is (plain text and HTML parts, List-Unsubscribe headers).
- `sending.py`: deliveries, batches, the permanent-failure rule.
- `jobs.py`: the Celery jobs (`run_newsletters` every minute, the batch job, the confirmation email).
"""
