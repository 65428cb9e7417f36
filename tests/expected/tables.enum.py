
try:
    from home_secret_toml import hs
except ImportError:  # pragma: no cover
    pass


class Secret:
    # fmt: off

    b__x = hs.t("b.x")
    b__z = hs.t("b.z")
    a__y = hs.t("a.y")
    aws__accounts__prod__account_id = hs.t("aws.accounts.prod.account_id")
    aws__accounts__prod__secrets__deploy__value = hs.t("aws.accounts.prod.secrets.deploy.value")
    aws__accounts__dev__account_id = hs.t("aws.accounts.dev.account_id")
    aws__region = hs.t("aws.region")
    github__accounts__personal__users__dev__secrets__api_token__value = hs.t("github.accounts.personal.users.dev.secrets.api_token.value")
    github__accounts__work__account_id = hs.t("github.accounts.work.account_id")

    # fmt: on


def _validate_secret():
    print("Validate secret:")
    for key, token in Secret.__dict__.items():
        if key.startswith("_") is False:
            print(f"{key} = {token.v}")


if __name__ == "__main__":
    _validate_secret()
