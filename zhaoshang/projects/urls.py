from django.urls import path

from . import action_views, config_views, views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("board/", views.BoardView.as_view(), name="project_board"),
    path("add/", views.ProjectEditView.as_view(), name="project_add"),
    path("todo/", views.DepartmentTodoView.as_view(), name="project_todo"),
    path("supervision/", views.SupervisionView.as_view(), name="project_supervision"),
    path("lists/", views.LeaderListsView.as_view(), name="project_lists"),
    path("stages/", views.StageConfigView.as_view(), name="stage_config"),
    path("stages/<int:pk>/", config_views.StageEditView.as_view(), name="stage_edit"),
    path("rules/", config_views.RulesEditView.as_view(), name="rules_edit"),
    path("calendar/", config_views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    path("<int:pk>/advance/", views.AdvanceView.as_view(), name="project_advance"),
    path("<int:pk>/checklist/<int:entry_id>/", views.ChecklistToggleView.as_view(), name="checklist_toggle"),
    path("<int:pk>/problems/add/", views.ProblemRaiseView.as_view(), name="problem_add"),
    path("<int:pk>/problems/<int:problem_id>/", views.ProblemResolveView.as_view(), name="problem_update"),
    path("<int:pk>/followups/add/", views.FollowUpAddView.as_view(), name="followup_add"),
    path("<int:pk>/stage-fields/", action_views.StageFieldsView.as_view(), name="stage_fields"),
    path(
        "<int:pk>/checklist/<int:entry_id>/attach/", action_views.ChecklistAttachView.as_view(), name="checklist_attach"
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        action_views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("<int:pk>/supervision/", action_views.SupervisionView.as_view(), name="supervision"),
    path("<int:pk>/instructions/add/", action_views.InstructionIssueView.as_view(), name="instruction_add"),
    path(
        "<int:pk>/instructions/<int:instruction_id>/reply/",
        action_views.InstructionReplyView.as_view(),
        name="instruction_reply",
    ),
]
