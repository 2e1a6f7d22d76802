#!/usr/bin/python3
# Waymark's INI edit as an Ansible module, shipped in an exported project's library/: the same bytes as Waymark's
# own edit (source/edits/ini.ts, setIniValues with one value per key). A key's last active line in the section is
# rewritten; a key present only commented out (;cgi.fix_pathinfo=1) is uncommented in place; any other is added at
# the end of the section. Comments stay, changed lines carry a "; waymark:" marker, and the newline style stays.
import os
import re
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
module: waymark_ini
short_description: Set keys in one section of an INI file exactly as Waymark does
options:
  path: {description: The file, required: true, type: path}
  section: {description: The section ('' before the first header), required: true, type: str}
  values: {description: Key to value, required: true, type: dict}
  backup: {description: Keep a copy of the file as it was, type: bool, default: false}
"""

KEY_LINE = re.compile(r"^([ \t]*)([;#]?)([^\s;#=\[][^=]*?)([ \t]*=[ \t]*)(.*?)[ \t]*$")
HEADER = re.compile(r"^[ \t]*\[([^\]]*)\]")
MARKER = "waymark:"


def split_lines(text):
    lines, start = [], 0
    for match in re.finditer(r"\r?\n", text):
        lines.append((text[start:match.start()], match.group(0)))
        start = match.end()
    if start < len(text):
        lines.append((text[start:], ""))
    return lines


def classify(text, section):
    header = HEADER.match(text)
    if header:
        return {"section": header.group(1).strip(), "kind": "header", "key": "", "value": "", "separator": ""}
    match = KEY_LINE.match(text)
    if not match:
        return {"section": section, "kind": "other", "key": "", "value": "", "separator": ""}
    kind = "key" if match.group(2) == "" else "commented-key"
    return {"section": section, "kind": kind, "key": match.group(3), "value": match.group(5), "separator": match.group(4)}


def unquote(value):
    if re.fullmatch(r'"[^"]*"', value):
        return value[1:-1]
    return re.sub(r"[ \t]+;.*$", "", value)


def indent_of(text):
    return re.match(r"^[ \t]*", text).group(0)


def set_values(text, section, values):
    lines = split_lines(text)
    parsed, current = [], ""
    for line, _eol in lines:
        each = classify(line, current)
        current = each["section"]
        parsed.append(each)
    in_section = [i for i, each in enumerate(parsed) if each["section"] == section and each["kind"] != "header"]
    headers = [i for i, each in enumerate(parsed) if each["kind"] == "header" and each["section"] == section]
    header_index = headers[-1] if headers else -1
    separator = next((parsed[i]["separator"] for i in in_section if parsed[i]["kind"] == "key"), " = ")
    content = [i for i in in_section if lines[i][0].strip() != ""]
    last_content = content[-1] if content else (None if header_index == -1 else header_index)
    replacements, insertions, additions, missing = {}, {}, {}, []
    for key, value in values.items():
        active = [i for i in in_section if parsed[i]["kind"] == "key" and parsed[i]["key"] == key]
        commented = [i for i in in_section if parsed[i]["kind"] == "commented-key" and parsed[i]["key"] == key]
        target = active[-1] if active else (commented[0] if commented else None)
        if target is None:
            if last_content is None:
                missing.append(key + separator + value)
            else:
                additions.setdefault(last_content, []).append(key + separator + value)
            continue
        line = parsed[target]
        if line["kind"] == "key" and unquote(line["value"]) == value:
            continue
        original = lines[target][0]
        sep = line["separator"] + " " if re.fullmatch(r"[ \t]+=", line["separator"]) else line["separator"]
        rebuilt = indent_of(original) + key + sep + value
        previous = lines[target - 1][0] if target > 0 else ""
        marked = previous.lstrip().startswith("; " + MARKER)
        was = indent_of(original) + '; %s was "%s"' % (MARKER, original.strip())
        replacements[target] = ([] if marked else [was]) + [rebuilt]
    for after, texts in additions.items():
        insertions.setdefault(min(after + 1, len(lines)), []).extend(["; %s added" % MARKER] + texts)
    if missing:
        if section == "":
            insertions.setdefault(0, []).extend(["; %s added" % MARKER] + missing + [""])
        else:
            tail = [""] if lines and lines[-1][0].strip() != "" else []
            insertions.setdefault(len(lines), []).extend(tail + ["[%s]" % section, "; %s added" % MARKER] + missing)
    eol = next((each for _text, each in lines if each != ""), "\n")
    out = []
    for index in range(len(lines) + 1):
        for each in insertions.get(index, []):
            out.append((each, eol))
        if index == len(lines):
            continue
        text, line_eol = lines[index]
        if index not in replacements:
            out.append((text, line_eol))
            continue
        replacement = replacements[index]
        for position, each in enumerate(replacement):
            out.append((each, line_eol if position == len(replacement) - 1 else eol))
    keeps_no_final = bool(lines) and lines[-1][1] == ""
    rendered = []
    for position, (text, line_eol) in enumerate(out):
        if position == len(out) - 1:
            rendered.append(text + ("" if keeps_no_final else (line_eol or eol)))
        else:
            rendered.append(text + (line_eol or eol))
    return "".join(rendered)


def main():
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True},
            "section": {"type": "str", "required": True},
            "values": {"type": "dict", "required": True},
            "backup": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    path = module.params["path"]
    values = {str(key): str(value) for key, value in module.params["values"].items()}
    for key, value in values.items():
        if not re.fullmatch(r"[^\s=;#\[\]]+", key) or re.search(r"[\r\n]", value):
            module.fail_json(msg="%s: not a key and one-line value Waymark would write" % key)
    if not os.path.exists(path):
        module.fail_json(msg="%s does not exist (Waymark edits it only where the package installed it)" % path)
    with open(path, "r", encoding="utf-8", newline="") as handle:
        before = handle.read()
    after = set_values(before, module.params["section"], values)
    result = {"changed": after != before, "path": path}
    if after != before and module._diff:
        result["diff"] = {"before": before, "after": after, "before_header": path, "after_header": path}
    if after != before and not module.check_mode:
        if module.params["backup"]:
            result["backup_file"] = module.backup_local(path)
        directory = os.path.dirname(path)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".waymark-ini-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(after)
        shutil.copymode(path, temp)
        stat = os.stat(path)
        os.chown(temp, stat.st_uid, stat.st_gid)
        module.atomic_move(temp, path)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
