'use strict';
// "Select all" on django-import-export's export page ticks or clears every field of the export it
// heads. The package wires it with an inline onchange attribute, which the site's Content Security
// Policy (script-src 'self') blocks; templates/admin/import_export/export.html drops the attribute
// and this file listens instead.
document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('.select-toggle').forEach((toggle) => {
        const row = toggle.closest('[resource-index]');
        const scope = row ? `[resource-index="${row.getAttribute('resource-index')}"]` : '';
        toggle.addEventListener('change', () => {
            document
                .querySelectorAll(`.selectable-field-export-row${scope} input[type="checkbox"]`)
                .forEach((box) => {
                    if (box !== toggle) {
                        box.checked = toggle.checked;
                    }
                });
        });
    });
});
