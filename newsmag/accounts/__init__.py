"""Reader accounts on django-allauth: sign-up, sign-in (password or emailed code), the account page with the
display name, the data export and account deletion, and the small JSON that tells a cached page who is
signed in. README "Reader accounts"."""
