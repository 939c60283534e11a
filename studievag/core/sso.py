"""Single sign-on with OpenID Connect (e.g. the municipality's Entra ID or Google).

Off unless ``STUDIEVAG_OIDC_CLIENT_ID`` is set (see README, "Single sign-on").
Sign-on finds an existing, active account by the e-mail claim; it never
creates one, because what a person may see comes from the roles an
administrator gives the account, and an account without roles sees nothing.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class StudievagOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False
        return None
