"""Server-rendered pages (Django templates + htmx), mounted at /."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from monitorgen.web import exports, importing, views

app_name = "web"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("intents/new/", views.intent_new, name="intent-new"),
    path("import/", importing.import_rules, name="import"),
    path("queue/", views.queue, name="queue"),
    path("rules/<int:pk>/", views.rule_detail, name="rule"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/diff/", views.version_diff, name="version-diff"),
    path("versions/<int:pk>/refine/", views.version_refine, name="version-refine"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version-edit"),
    path("versions/<int:pk>/<slug:action>/", views.version_act, name="version-act"),
    path("catalogs/", views.catalogs, name="catalogs"),
    path("catalogs/<slug:slug>/", views.catalog_detail, name="catalog"),
    path(
        "catalogs/<slug:slug>/vocabulary.json",
        views.catalog_vocabulary,
        name="catalog-vocabulary",
    ),
    path("exports/", exports.index, name="exports"),
    path("exports/archive/", exports.team_archive, name="export-archive"),
    path("exports/runs/<int:pk>/", exports.run_detail, name="export-run"),
    path("exports/<slug:name>/", exports.target_detail, name="export-target"),
    path("exports/<slug:name>/run/", exports.target_run, name="export-target-run"),
    path("exports/<slug:name>/archive/", exports.target_archive, name="export-target-archive"),
]
