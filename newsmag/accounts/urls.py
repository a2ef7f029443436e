from django.urls import include, path

from newsmag.accounts import views

# Beside allauth's own pages (/accounts/login/, /accounts/signup/, /accounts/password/reset/, ...).
urlpatterns = [
    path("", views.account, name="reader-account"),
    path("me/", views.me, name="reader-me"),
    path("export/", views.export, name="reader-export"),
    path("delete/", views.delete, name="reader-delete"),
    path("", include("allauth.urls")),
]
