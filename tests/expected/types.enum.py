
try:
    from home_secret_toml import hs
except ImportError:  # pragma: no cover
    pass


class Secret:
    # fmt: off

    str__basic = hs.t("str.basic")
    str__literal = hs.t("str.literal")
    str__multi = hs.t("str.multi")
    str__multi_literal = hs.t("str.multi_literal")
    str__empty = hs.t("str.empty")
    str__unicode = hs.t("str.unicode")
    int__plain = hs.t("int.plain")
    int__negative = hs.t("int.negative")
    int__hex = hs.t("int.hex")
    int__octal = hs.t("int.octal")
    int__binary = hs.t("int.binary")
    int__underscore = hs.t("int.underscore")
    int__big = hs.t("int.big")
    int__big_negative = hs.t("int.big_negative")
    float__pi = hs.t("float.pi")
    float__exp = hs.t("float.exp")
    float__small = hs.t("float.small")
    float__inf = hs.t("float.inf")
    float__neg_inf = hs.t("float.neg_inf")
    float__nan = hs.t("float.nan")
    float__neg_zero = hs.t("float.neg_zero")
    bool__yes = hs.t("bool.yes")
    bool__no = hs.t("bool.no")
    dt__offset = hs.t("dt.offset")
    dt__offset_frac = hs.t("dt.offset_frac")
    dt__local = hs.t("dt.local")
    dt__date = hs.t("dt.date")
    dt__time = hs.t("dt.time")
    dt__time_frac = hs.t("dt.time_frac")
    arr__strings = hs.t("arr.strings")
    arr__mixed = hs.t("arr.mixed")
    arr__placeholder = hs.t("arr.placeholder")
    arr__empty = hs.t("arr.empty")
    inline__creds__access_key = hs.t("inline.creds.access_key")
    inline__creds__secret_key = hs.t("inline.creds.secret_key")
    inline__creds__port = hs.t("inline.creds.port")
    inline__nested__outer__inner = hs.t("inline.nested.outer.inner")
    keep__Description = hs.t("keep.Description")
    keep__descriptions = hs.t("keep.descriptions")
    keep__dots = hs.t("keep.dots")
    keep__spaced = hs.t("keep.spaced")
    keep__ellipsis = hs.t("keep.ellipsis")
    deep__description__value = hs.t("deep.description.value")
    servers = hs.t("servers")

    # fmt: on


def _validate_secret():
    print("Validate secret:")
    for key, token in Secret.__dict__.items():
        if key.startswith("_") is False:
            print(f"{key} = {token.v}")


if __name__ == "__main__":
    _validate_secret()
