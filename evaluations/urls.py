from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("buoi/<int:pk>/", views.evaluate, name="evaluate"),
    path("chi-bo/<int:cell_pk>/bai-hoc/", views.lessons, name="lessons"),
    path("chi-bo/<int:cell_pk>/tham-gia/", views.cell_records, name="cell_records"),
    path("chi-bo/<int:cell_pk>/tham-gia.xlsx", views.cell_records_xlsx, name="cell_records_xlsx"),
    path("chi-bo/<int:cell_pk>/binh-xet/", views.review_page, name="review"),
    path("chi-bo/<int:cell_pk>/binh-xet/ban-hanh/", views.review_issue, name="review_issue"),
    path("chi-bo/<int:cell_pk>/binh-xet.<str:fmt>", views.review_file, name="review_file"),
    path("dang-bo/<int:party_pk>/ho-so-cuoi-nam/", views.party_archive, name="party_archive"),
    path("dang-vien/<int:member_pk>/", views.record_page, name="record"),
    path("dang-vien/<int:member_pk>/minh-chung.<str:fmt>", views.record_file, name="record_file"),
]
