"""cluster._naming: services named from the code's own words, unique, never a layer's word."""

from __future__ import annotations

import random
import re

from decompose.cluster._naming import _GENERIC, name_clusters
from decompose.model import Definition, DefinitionKind, ModuleInfo, ModuleName, ParseStatus

CLASS, FUNCTION, METHOD = DefinitionKind.CLASS, DefinitionKind.FUNCTION, DefinitionKind.METHOD
NAME = re.compile(r"[a-z]+(-[a-z]+){0,2}")  # one to three words, letters only


def module(name: str, *definitions: str | tuple[str, DefinitionKind], lines: int = 100) -> ModuleInfo:
    """A parsed module; a definition is a name (a class when capitalised, else a function)
    or a (name, kind) pair."""
    facts = []
    for number, definition in enumerate(definitions, start=1):
        if isinstance(definition, str):
            definition = (definition, CLASS if definition[:1].isupper() else FUNCTION)
        facts.append(Definition(definition[0], definition[1], number * 10, number * 10 + 5))
    return ModuleInfo(
        ModuleName(name), name.replace(".", "/") + ".py", False, lines, ParseStatus.OK, tuple(facts), (), ()
    )


def names_of(*clusters: list[ModuleInfo], **options) -> tuple[str, ...]:
    modules = [m for cluster in clusters for m in cluster]
    return name_clusters(modules, [[m.name for m in cluster] for cluster in clusters], **options)


def test_obfuscated_modules_are_named_by_their_classes():
    orders = [module("obf.m0001", "Order", "OrderLine", "place_order"), module("obf.m0003", "OrderStatus")]
    payments = [module("obf.m0002", "Invoice", "Payment", "PaymentMethod", "charge_payment")]
    assert names_of(orders, payments) == ("order", "payment")


def test_a_tree_laid_out_by_layer_is_named_by_domain_not_by_layer():
    orders = [
        module("app.models.order", "Order", "OrderLine"),
        module("app.views.order", "OrderListView", "OrderDetailView"),
        module("app.serializers.orders", "OrderSerializer"),
    ]
    catalogue = [
        module("app.models.product", "Product", "Category"),
        module("app.views.products", "ProductListView"),
        module("app.admin.product", "ProductAdmin"),
    ]
    assert names_of(orders, catalogue) == ("order", "product")


def test_module_names_speak_when_definitions_are_silent():
    assert names_of(
        [module("shop.refunds"), module("shop.refund_policy")],
        [module("shop.loyalty"), module("shop.loyalty_points")],
    ) == ("refund", "loyalty")


def test_words_are_split_singular_and_lower_case():
    names = names_of(
        [module("obf.m0001", "CategoryTree", "categories_for")],
        [module("obf.m0002", "AddressBook", "addresses_of", "ADDRESSES")],
        [module("obf.m0003", "HTTPOrdersClient", "orders_total", "get_orders")],
    )
    assert names == ("category", "address", "order")


def test_two_clusters_whose_top_word_clashes_get_distinct_two_word_names():
    checkout = [module("obf.m0001", "Order", "OrderPayment", "OrderPaymentMethod", "pay_order")]
    delivery = [module("obf.m0002", "Order", "OrderShipment", "OrderShipmentLabel", "track_order")]
    first, second, *rest = names_of(checkout, delivery, *others())
    assert (first, second) == ("order-payment", "order-shipment")
    assert rest == [word.lower() for word in OTHER_DOMAINS]


OTHER_DOMAINS = ["Invoice", "Customer", "Stock", "Coupon", "Review", "Ticket"]


def others() -> list[list[ModuleInfo]]:
    """Six one-module clusters of other domains: with them around, a word two clusters
    share is still rare enough to be the best word of each."""
    return [[module(f"obf.m01{i:02d}", word, word + "Line")] for i, word in enumerate(OTHER_DOMAINS)]


def test_a_word_order_is_no_way_to_be_different():
    names = names_of(
        [module("obf.m0001", "LineItem", "Line", "Item")],
        [module("obf.m0002", "ItemLine", "Item", "Line", "Barcode")],
    )
    keys = {"-".join(sorted(name.split("-"))) for name in names}
    assert len(keys) == 2


def test_a_word_both_clusters_use_is_not_what_tells_them_apart():
    checkout = [module("obf.m0001", "Order", "OrderPayment", "OrderPaymentMethod", "pay_order")]
    delivery = [module("obf.m0002", "Order", "OrderShipment", "OrderShipmentLabel", "track_order")]
    assert names_of(checkout, delivery) == ("payment", "shipment")


def test_a_cluster_out_of_words_keeps_its_word_when_its_rival_can_grow():
    names = names_of([module("obf.m0001", "Order")], [module("obf.m0002", "Order", "OrderRefund")], *others())
    assert names[:2] == ("order", "order-refund")


def test_the_last_resort_is_the_most_distinctive_module_basename():
    names = names_of(
        [module("app.order_views", "OrderListView", lines=400)],
        [module("app.order_forms", "OrderForm"), module("app.helpers", "Helper")],
        *others(),
    )
    assert names[:2] == ("order", "order-form")


def test_a_third_word_when_two_still_clash():
    names = names_of(
        [module("obf.m0001", "OrderLine", "Order", "Line", "Refund")],
        [module("obf.m0002", "OrderLine", "Order", "Line", "Voucher")],
    )
    assert len(set(names)) == 2
    assert all(NAME.fullmatch(n) for n in names)
    assert {n.split("-")[-1] for n in names} == {"refund", "voucher"}


def test_generic_words_never_name_a_domain_service():
    names = names_of(
        [module("shop.models.types", "BaseModel", "AbstractOrder", "OrderType", "order_filters")],
        [module("shop.utils.helpers", "CommonMixin", "Invoice", "manage")],
        [module("shop.core.signals", "settings_for", "Payment", "PaymentTask")],
    )
    assert names == ("order", "invoice", "payment")


def test_the_generic_list_holds_the_layer_words_as_they_come_out_singular():
    layer_words = """module base abstract type util helper common core manage mixin model view form
    admin api serializer task signal url setting config filter exception test migration init main"""
    assert set(layer_words.split()) <= _GENERIC


def test_a_cluster_of_generic_words_only_gets_a_readable_name_never_a_bare_generic_word():
    domain = [module("app.orders", "Order", "OrderLine")]
    plumbing = [
        module("app.utils", "BaseMixin", "get_config", lines=300),
        module("app.helpers", "TypeHelper", "ModelMixin"),
    ]
    _, name = names_of(domain, plumbing)
    assert NAME.fullmatch(name)
    assert "-" in name
    assert set(name.split("-")) <= _GENERIC | {"misc"}


def test_a_generic_module_is_named_by_its_methods_when_its_top_level_names_say_nothing():
    domain = [module("app.orders", "Order", "OrderLine")]
    plumbing = [module("app.utils", "Base", ("Base.slugify_title", METHOD), lines=300)]
    assert names_of(domain, plumbing) == ("order", "slugify")


def test_a_single_generic_word_is_never_left_bare():
    (name,) = names_of([module("project.utils")])
    assert name == "misc-util"


def test_digits_and_single_letters_never_make_a_word():
    names = names_of(
        [module("obf.m0001", "X", "a1b2", "M0042", "v2_order", "Order2", "Refund")],
        [module("obf.m0002", "Y", "Z", "sha256_digest", "Coupon")],
    )
    assert names == ("refund", "coupon")


def test_a_name_never_ends_in_a_number_even_from_a_module_basename():
    names = names_of([module("shop.catalogue_2"), module("shop.catalogue_3")], [module("shop.catalogue")])
    assert all(not re.search(r"\d", n) for n in names)
    assert len(set(names)) == 2


def test_a_reserved_name_is_never_taken():
    names = names_of(
        [module("obf.m0001", "Order", "OrderLine", "OrderLineDiscount")],
        [module("obf.m0002", "SharedThing", "shared_cache", "Payment")],
        reserved=("shared", "orders"),
    )
    assert names[0].startswith("order-")
    assert "shared" not in names and "order" not in names
    assert names[1] == "payment"


def test_fixed_names_are_kept_as_they_are_and_taken_from_the_others():
    names = names_of(
        [module("obf.m0001", "Order", "OrderLine")],
        [module("obf.m0002", "Order", "Refund", "RefundReason")],
        [module("obf.m0003", "Invoice")],
        fixed={0: "Orders"},
    )
    assert names[0] == "Orders"
    assert names[1] == "refund"
    assert names[2] == "invoice"
    clashing = names_of(
        [module("obf.m0001", "Invoice")],
        [module("obf.m0002", "Order", "OrderRefund", "Refund")],
        fixed={0: "orders"},
    )
    assert clashing == ("orders", "order-refund")


def test_a_cluster_with_no_words_at_all_takes_its_module_name():
    names = names_of([module("obf.m0001", "Order")], [module("obf.m0005")], [module("obf.m0007")])
    assert names == ("order", "m0005", "m0007")


def test_names_on_fifty_random_clusters_are_unique_short_and_never_numbered():
    modules, clusters = random_project(random.Random(20240611), clusters=50)
    names = name_clusters(modules, clusters)
    assert len(names) == 50
    assert len(set(names)) == 50
    for name in names:
        assert NAME.fullmatch(name), name
        assert name not in _GENERIC and name != "shared"
    assert not any(re.search(r"-\d+$", name) for name in names)


def test_same_input_same_names_whatever_the_order_of_the_module_list():
    modules, clusters = random_project(random.Random(7), clusters=30)
    first = name_clusters(modules, clusters)
    assert name_clusters(modules, clusters) == first
    shuffled = list(modules)
    random.Random(1).shuffle(shuffled)
    assert name_clusters(shuffled, clusters) == first


def test_ties_go_to_the_alphabetically_first_word():
    assert names_of([module("obf.m0001", "Zebra", "Apple")]) == ("apple",)


def test_ten_thousand_modules_in_a_hundred_clusters_get_a_hundred_names():
    # How fast is bench/perf.py's to say (the whole analysis, naming included), not a timed test.
    modules, clusters = random_project(random.Random(3), clusters=100, per_cluster=100)
    names = name_clusters(modules, clusters)
    assert len(modules) == 10_000 and len(set(names)) == 100
    assert all(name and not name[-1].isdigit() for name in names)


def test_no_clusters_no_names():
    assert name_clusters([], []) == ()


# ------------------------------------------------------------------------------ helpers

VOCABULARY = """order payment invoice customer cart product stock shipment refund loyalty coupon
tax price catalog review search account ticket seat badge voucher report export mail webhook
device quota gift carrier parcel warehouse supplier discount subscription plan member booking
venue schedule survey answer question lesson course grade""".split()
NOISE = ["Base", "Manager", "View", "Form", "Helper", "Mixin", "Type", "Line", "Item", ""]


def random_project(rng: random.Random, clusters: int, per_cluster: int = 6):
    """Obfuscated modules in ``clusters`` clusters, each cluster speaking of two or three
    words of a shared vocabulary (so top words clash), with generic noise around them."""
    modules, members = [], []
    number = 0
    for _ in range(clusters):
        themes = rng.sample(VOCABULARY, rng.randint(2, 3))
        cluster = []
        for _ in range(rng.randint(1, per_cluster) if per_cluster < 100 else per_cluster):
            number += 1
            definitions: list[str | tuple[str, DefinitionKind]] = []
            for _ in range(rng.randint(2, 8)):
                word = rng.choice(themes).capitalize()
                definitions.append(word + rng.choice(NOISE))
                definitions.append((f"{word}.save", METHOD))
                definitions.append(f"get_{rng.choice(VOCABULARY)}_m{rng.randint(0, 99)}")
            info = module(f"obf.m{number:05d}", *definitions, lines=rng.randint(5, 900))
            modules.append(info)
            cluster.append(info.name)
        members.append(cluster)
    return modules, members
