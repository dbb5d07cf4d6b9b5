'use strict';
// Select2, which draws the admin's autocomplete fields, leaves its combobox and search box without a
// name a screen reader can announce (axe-core: label, aria-input-field-name). Name each after the
// field's own <label>, wrapping Django's initialiser (admin/js/autocomplete.js, loaded before this
// on pages with such a field) so rows added to an inline later are named too.
{
    const $ = window.django && django.jQuery;
    const draw = $ && $.fn.djangoAdminSelect2;

    function labelFor(select) {
        const label = document.querySelector(`label[for="${select.id}"]`);
        if (label && !label.id) {
            label.id = `${select.id}-label`;
        }
        return label;
    }

    function name(select) {
        const label = labelFor(select);
        if (!label) {
            return;
        }
        const selection = $(select).data('select2').$selection;
        // A single choice is read as its label then the chosen value; the value is no text box.
        const shown = selection.find('.select2-selection__rendered[id]').removeAttr('role aria-readonly');
        const ids = [label.id, ...shown.map((i, span) => span.id).get()];
        selection.attr('aria-labelledby', ids.join(' '));
        selection.find('.select2-search__field').attr('aria-labelledby', label.id);
    }

    if (draw) {
        $.fn.djangoAdminSelect2 = function() {
            // A multiple choice's "remove all" cross is a <span> inside its list of choices (axe:
            // list); each choice keeps its own cross.
            this.filter('[multiple]').attr('data-allow-clear', 'false');
            draw.call(this);
            this.each((i, select) => name(select));
            return this;
        };
    }
}
