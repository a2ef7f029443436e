from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_pk>/", views.post_comment, name="post"),
    path("token/<int:article_pk>/", views.form_token, name="token"),
    path("<int:pk>/reply/", views.reply_form, name="reply"),
    path("<int:pk>/report/", views.report_comment, name="report"),
    path("<int:pk>/recommend/", views.recommend_comment, name="recommend"),
    path("<int:pk>/pick/", views.pick_comment, name="pick"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
