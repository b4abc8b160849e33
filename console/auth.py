"""Sign-in with OpenID Connect (authorization code with PKCE, by authlib) and sign-out."""

from __future__ import annotations

import logging
import warnings
from urllib.parse import urlencode

import authlib.deprecate  # noqa: F401  (it installs an "always" filter of its own first)

with warnings.catch_warnings():
    # authlib prefers the `httpx2` package and warns when it falls back to httpx, which the
    # project pins (httpx 0.28) and which works: the warning is noise on every start.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from console.identity import Identity
from console.rendering import Renderer
from console.services import Services
from console.web_session import CSRF_FIELD, csrf_ok, sign_in, sign_out

log = logging.getLogger(__name__)


def routes(services: Services, renderer: Renderer) -> list[Route]:
    config = services.config
    oauth = OAuth()
    oauth.register(
        "idp",
        client_id=config.settings.client_id,
        client_secret=config.client_secret,
        server_metadata_url=services.provider.metadata_url,
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )
    idp = oauth.create_client("idp")
    callback_url = f"{config.public_url}/auth/callback"

    async def login(request: Request) -> Response:
        return await idp.authorize_redirect(request, callback_url)  # type: ignore[no-any-return]

    async def callback(request: Request) -> Response:
        try:
            token = await idp.authorize_access_token(request)
        except OAuthError as exc:
            log.info("sign-in refused by the provider: %s", exc.error)
            return renderer.page(
                request,
                "message.html",
                {
                    "title": "Sign-in failed",
                    "message": "The sign-in did not complete. Please try again.",
                },
                status=400,
            )
        identity = Identity.from_claims(token.get("userinfo") or {})
        if identity is None or services.scope(identity) is None:
            request.session.clear()
            return renderer.page(
                request,
                "message.html",
                {
                    "title": "No access",
                    "message": "This account has no role in this district's console.",
                },
                status=403,
            )
        sign_in(request, services.sessions, identity, token.get("id_token"))
        return RedirectResponse("/incidents", status_code=303)

    async def logout(request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return renderer.page(
                request,
                "message.html",
                {"title": "Refused", "message": "The form was stale; nothing was changed."},
                status=403,
            )
        id_token = request.session.get("id_token")
        sign_out(request, services.sessions)
        end_session = (await idp.load_server_metadata()).get("end_session_endpoint")
        if not end_session:
            return RedirectResponse("/signed-out", status_code=303)
        query = {
            "post_logout_redirect_uri": f"{config.public_url}/signed-out",
            "client_id": config.settings.client_id,
        }
        if id_token:
            query["id_token_hint"] = str(id_token)
        return RedirectResponse(f"{end_session}?{urlencode(query)}", status_code=303)

    async def signed_out(request: Request) -> Response:
        return renderer.page(
            request,
            "message.html",
            {"title": "Signed out", "message": "You are signed out.", "sign_in_link": True},
        )

    return [
        Route("/login", login, methods=["GET"]),
        Route("/auth/callback", callback, methods=["GET"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/signed-out", signed_out, methods=["GET"]),
    ]
