from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcity.accounts import actions
from ipcity.accounts.forms import LoginForm, TokenForm
from ipcity.accounts.models import APIToken
from ipcity.core.scoping import get_visible_or_404, visible


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        expires = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
        _, secret = actions.create_api_token(request.user, form.cleaned_data["name"], acting_user=request.user,
                                             expires_at=expires)
        form = TokenForm()
    mine = visible(APIToken, request.user).filter(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "secret": secret, "tokens": mine})


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_visible_or_404(APIToken, request.user, pk=pk)
    actions.revoke_api_token(token, acting_user=request.user)
    messages.success(request, f"已吊销令牌：{token}")
    return redirect("accounts:tokens")
