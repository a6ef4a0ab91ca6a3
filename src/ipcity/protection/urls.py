from django.urls import path

from ipcity.protection import views
from ipcity.protection import views_assistance as a
from ipcity.protection import views_handling as h

app_name = "protection"
urlpatterns = [
    path("", views.matter_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.staff_entry, name="new"),
    path("import/", views.bulk_import, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("matters/<int:pk>/", views.matter_detail, name="detail"),
    path("matters/<int:pk>/decide/", views.decide_complaint, name="decide"),
    path("matters/<int:pk>/close/", views.close, name="close"),
    path("matters/<int:pk>/assign/", views.assign, name="assign"),
    path("matters/<int:pk>/mediation/start/", h.mediation_start, name="mediation_start"),
    path("matters/<int:pk>/mediation/end/", h.mediation_end, name="mediation_end"),
    path("matters/<int:pk>/mediation/confirmation/", h.mediation_confirm, name="mediation_confirm"),
    path("matters/<int:pk>/refer/", h.refer, name="refer"),
    path("matters/<int:pk>/lead/", h.lead_decision, name="lead"),
    path("matters/<int:pk>/dispute/", h.dispute, name="dispute"),
    path("matters/<int:pk>/clock/", h.matter_clock, name="matter_clock"),
    path("duplicates/<int:pk>/", h.duplicate_decision, name="duplicate_decision"),
    path("referrals/<int:pk>/acknowledge/", h.referral_acknowledge, name="referral_acknowledge"),
    path("referrals/<int:pk>/reply/", h.referral_reply, name="referral_reply"),
    path("cases/<int:pk>/", h.case_detail, name="case"),
    path("cases/<int:pk>/records/", h.case_record, name="case_record"),
    path("cases/<int:pk>/clock/", h.case_clock, name="case_clock"),
    path("cases/<int:pk>/legal-review/", h.case_review_request, name="case_review_request"),
    path("legal-reviews/<int:pk>/", h.case_review_complete, name="case_review_complete"),
    path("cases/<int:pk>/decision/", h.case_decide, name="case_decide"),
    path("cases/<int:pk>/<str:step>/", h.case_step, name="case_step"),
    path("decisions/<int:pk>/disclosure/", h.disclosure_enter, name="disclosure_enter"),
    path("decisions/<int:pk>/overturned/", h.decision_overturned, name="decision_overturned"),
    path("disclosures/<int:pk>/sign-off/", h.disclosure_sign_off, name="disclosure_sign_off"),
    path("disclosures/<int:pk>/withdraw/", h.disclosure_withdraw, name="disclosure_withdraw"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("submissions/<int:pk>/reveal/<str:field>/", views.reveal_submitter, name="reveal_submitter"),
    path("assistance/", a.assistance_list, name="assistance_list"),
    path("assistance/new/", a.assistance_new, name="assistance_new"),
    path("assistance/officers/", a.assistance_assign, name="assistance_assign"),
    path("assistance/<int:pk>/", a.assistance_detail, name="assistance"),
    path("assistance/<int:pk>/step/", a.assistance_step, name="assistance_step"),
]
