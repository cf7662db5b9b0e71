from api.main import api, urls

app_name = api.urls_namespace

urlpatterns = urls()
