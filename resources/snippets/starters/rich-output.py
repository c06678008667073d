# Rich output: objects with _repr_html_ / _repr_markdown_ / _repr_json_ become cards.
class Html:
    def _repr_html_(self):
        return "<h3>HTML</h3><table border='1'><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"


class Markdown:
    def _repr_markdown_(self):
        return "## Markdown\n\n- *emphasis*\n- **strong**\n- `code`"


class Json:
    def _repr_json_(self):
        return {"name": "AgentBay", "regions": ["cn-shanghai", "ap-southeast-1"], "nested": {"ok": True}}


display(Html())
display(Markdown())
display(Json())
"the last value is the main result"
