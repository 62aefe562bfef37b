"""atomx.display's HTML table: what its docstring promises about escaping holds."""
from atomx.display import html_table


def test_every_cell_of_an_html_table_is_escaped_markup_included():
    page = html_table('<i>caption</i>', ['<b>name</b>'], [['<th>made</th>', 'a & b']], 'x"y')
    assert page == ('<table class="x&quot;y"><caption>&lt;i&gt;caption&lt;/i&gt;</caption>'
                    '<thead><tr><th>&lt;b&gt;name&lt;/b&gt;</th></tr></thead><tbody><tr>'
                    '<td>&lt;th&gt;made&lt;/th&gt;</td><td>a &amp; b</td></tr></tbody></table>')


def test_an_html_table_without_a_header_has_no_header_row():
    assert html_table('c', [], [[1]], 'k') == ('<table class="k"><caption>c</caption><tbody>'
                                               '<tr><td>1</td></tr></tbody></table>')
