"""Extract what --generate-cli-skeleton yaml-input and help need from the AWS CLI v2's models.

For each service named on the command line as NAME:BOTOCORE:API_VERSION (the Go wrapper in
this directory passes internal/awsmodel's list), writes <out>/<NAME>.json.gz holding every
operation's input shape and the first sentence of its documentation, and every shape
reachable from an input: its type, enum values, and for a structure its members in the
model's order with the first sentence of their documentation and whether they are required.
The sentences are the AWS CLI's own (awscli.customizations.utils.get_shape_doc_overview), so
this runs on the system Python that has Debian's AWS CLI v2:

    go run ./internal/inputmodel -out model    (from internal/cli/params: go generate)
"""
import gzip
import json
import os
import sys
import xml.dom.minidom  # noqa: F401 (get_shape_doc_overview needs it loaded)
import xml.parsers.expat  # noqa: F401

sys.path.insert(0, '/usr/lib/python3/dist-packages')
from awscli.botocore import session as botocore_session  # noqa: E402
from awscli.customizations.utils import get_shape_doc_overview  # noqa: E402


def extract(model):
    shapes = {}

    def visit(shape):
        if shape.name in shapes:
            return
        out = {'type': shape.type_name}
        shapes[shape.name] = out
        if getattr(shape, 'enum', None):
            out['enum'] = list(shape.enum)
        if shape.type_name == 'structure':
            required = set(shape.required_members)
            out['members'] = [
                [name, member.name, get_shape_doc_overview(member), name in required]
                for name, member in shape.members.items()
            ]
            for member in shape.members.values():
                visit(member)
        elif shape.type_name == 'list':
            out['member'] = shape.member.name
            visit(shape.member)
        elif shape.type_name == 'map':
            out['value'] = shape.value.name
            visit(shape.value)

    operations = {}
    for name in model.operation_names:
        op = model.operation_model(name)
        entry = {'doc': get_shape_doc_overview(op)}
        if op.input_shape is not None:
            entry['input'] = op.input_shape.name
            visit(op.input_shape)
        operations[name] = entry
    return {'operations': operations, 'shapes': shapes}


def main():
    args = sys.argv[1:]
    out = '.'
    if args[:1] == ['-out']:
        out, args = args[1], args[2:]
    session = botocore_session.get_session()
    for arg in args:
        name, service, version = arg.split(':')
        model = session.get_service_model(service)  # the one the AWS CLI v2 uses
        if model.api_version != version:
            sys.exit('%s: the AWS CLI v2 has version %s of %s, the list %s'
                     % (name, model.api_version, service, version))
        data = json.dumps(extract(model), sort_keys=True, separators=(',', ':')).encode()
        with gzip.GzipFile(os.path.join(out, name + '.json.gz'), 'wb', mtime=0) as f:
            f.write(data)
        print('%s: %d bytes' % (name, len(data)), file=sys.stderr)


main()
