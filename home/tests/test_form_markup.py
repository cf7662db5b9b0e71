"""Raw-form details found trying the app as a new user would: every label points at something, a
checkbox sits before its label, a group of radio buttons is a fieldset with a legend, and a list of
topics starts with words rather than Django's "---------"."""

import re

from django.urls import reverse

from drafts import services as drafts
from drafts.tests.conftest import distributed, presenter, session  # noqa: F401 (fixtures)
from planning import services as planning


def test_the_responses_form_has_no_empty_label_and_its_radios_are_a_fieldset(client, world, distributed):  # noqa: F811
    drafts.add_comment(actor=world.secretary, session=distributed, anchor="p-2", body="Góp ý")
    client.force_login(world.member)  # the presenter answers
    html = client.get(reverse("drafts:responses", args=[distributed.pk])).content.decode()
    assert 'for=""' not in html
    group = re.search(r'<fieldset class="field">\s*<legend>Hình thức tiếp thu.*?</fieldset>', html, re.S)
    assert group is not None and group.group(0).count('type="radio"') == 3


def test_the_session_form_puts_the_checkbox_before_its_label_and_names_the_empty_topic(client, world):
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=2027)
    client.force_login(world.secretary)
    html = client.get(reverse("planning:session_add", args=[plan.pk])).content.decode()
    assert "---------" not in html and "— Chọn chuyên đề trong danh mục —" in html
    box = html.index('name="combined_with_regular"')
    label = html.index('for="id_combined_with_regular"')
    assert box < label  # the box first, its words after it on the same line
    assert 'for=""' not in html
