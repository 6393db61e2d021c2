"""The person's own API tokens: create (the token is shown once), list and revoke.

Each view calls one service of postguard.web.orgs, which checks that the token is the
person's own and records the change."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from postguard.web.orgs import services as orgs
from postguard.web.pages.views import _invalid, _user, service_errors


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"aria-describedby": "id_name-help"}),
        help_text="What it is for, so you know which one to revoke (e.g. the laptop's script).",
    )


def _page(request: HttpRequest, form: TokenForm, new_token: str = "") -> HttpResponse:
    response = render(
        request,
        "pages/tokens.html",
        {"form": form, "tokens": orgs.tokens_of(_user(request)), "new_token": new_token},
    )
    if new_token:
        # The one page that holds the token in clear: no cache, no back-button copy.
        response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@require_POST
@login_required
@service_errors
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    user = _user(request)
    token, _ = orgs.create_token(user, form.cleaned_data["name"], actor=user)
    # Shown on this answer only (not through a redirect or a message, which would keep it
    # in the session): only its digest is stored.
    return _page(request, TokenForm(), new_token=token)


@require_POST
@login_required
@service_errors
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    revoked = orgs.revoke_token(_user(request), token_id)
    messages.success(request, f"The token {revoked.prefix}… is revoked; it no longer works.")
    return redirect("tokens")
