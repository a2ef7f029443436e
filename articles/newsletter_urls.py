from django.urls import path

from articles import newsletter_views as views

app_name = "newsletters"

urlpatterns = [
    path("", views.newsletter_list, name="index"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("token/", views.form_token, name="token"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("webhook/", views.provider_webhook, name="webhook"),
]
