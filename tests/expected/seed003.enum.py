
try:
    from home_secret_toml import hs
except ImportError:  # pragma: no cover
    pass


class Secret:
    # fmt: off

    github__accounts__personal__account_id = hs.t("github.accounts.personal.account_id")
    github__accounts__personal__admin_email = hs.t("github.accounts.personal.admin_email")
    github__accounts__personal__users__dev__user_id = hs.t("github.accounts.personal.users.dev.user_id")
    github__accounts__personal__users__dev__email = hs.t("github.accounts.personal.users.dev.email")
    github__accounts__personal__users__dev__secrets__api_token__name = hs.t("github.accounts.personal.users.dev.secrets.api_token.name")
    github__accounts__personal__users__dev__secrets__api_token__value = hs.t("github.accounts.personal.users.dev.secrets.api_token.value")
    aws__accounts__prod__account_id = hs.t("aws.accounts.prod.account_id")
    aws__accounts__prod__admin_email = hs.t("aws.accounts.prod.admin_email")
    aws__accounts__prod__secrets__deployment_key__name = hs.t("aws.accounts.prod.secrets.deployment_key.name")
    aws__accounts__prod__secrets__deployment_key__value = hs.t("aws.accounts.prod.secrets.deployment_key.value")
    aws__accounts__prod__secrets__deployment_key__creds__access_key = hs.t("aws.accounts.prod.secrets.deployment_key.creds.access_key")
    aws__accounts__prod__secrets__deployment_key__creds__secret_key = hs.t("aws.accounts.prod.secrets.deployment_key.creds.secret_key")
    aws__accounts__prod__users__ci_bot__user_id = hs.t("aws.accounts.prod.users.ci_bot.user_id")
    aws__accounts__prod__users__ci_bot__email = hs.t("aws.accounts.prod.users.ci_bot.email")
    aws__accounts__prod__users__ci_bot__secrets__deploy__name = hs.t("aws.accounts.prod.users.ci_bot.secrets.deploy.name")
    aws__accounts__prod__users__ci_bot__secrets__deploy__value = hs.t("aws.accounts.prod.users.ci_bot.secrets.deploy.value")
    aws__accounts__prod__users__ci_bot__secrets__deploy__creds__access_key = hs.t("aws.accounts.prod.users.ci_bot.secrets.deploy.creds.access_key")
    aws__accounts__prod__users__ci_bot__secrets__deploy__creds__secret_key = hs.t("aws.accounts.prod.users.ci_bot.secrets.deploy.creds.secret_key")

    # fmt: on


def _validate_secret():
    print("Validate secret:")
    for key, token in Secret.__dict__.items():
        if key.startswith("_") is False:
            print(f"{key} = {token.v}")


if __name__ == "__main__":
    _validate_secret()
