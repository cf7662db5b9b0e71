from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations and members")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from organizations import permissions

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "organizations.organization.created": _("%(actor)s created %(object)s (%(kind)s)."),
                "organizations.term.created": _("%(actor)s opened the term %(name)s."),
                "organizations.member.added": _("%(actor)s added %(object)s to %(cell)s (%(kind)s)."),
                "organizations.member.updated": _("%(actor)s changed %(object)s: %(fields)s."),
                "organizations.member.imported": _("%(actor)s imported %(object)s from the file %(file)s."),
                "organizations.member.import_updated": _(
                    "%(actor)s updated %(object)s from the file %(file)s: %(fields)s."
                ),
                "organizations.membership.ended": _(
                    "%(actor)s ended the membership of %(object)s in %(cell)s."
                ),
                "organizations.membership.attached": _(
                    "%(actor)s attached %(object)s temporarily to %(cell)s."
                ),
                "organizations.position.assigned": _(
                    "%(actor)s appointed %(object)s %(role)s (term %(term)s)."
                ),
                "organizations.position.ended": _("%(actor)s ended the position %(role)s of %(object)s."),
                "organizations.exemption.granted": _(
                    "%(actor)s exempted %(object)s from Party work and meetings: %(reason)s."
                ),
                "organizations.exemption.ended": _("%(actor)s ended the exemption of %(object)s."),
            }
        )
