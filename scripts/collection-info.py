#!/usr/bin/env python
"""Print one field of galaxy.yml (namespace, name, version), or `fqcn`, or `tarball`."""

import sys

import yaml


def main():
    with open('galaxy.yml', encoding='utf-8') as handle:
        meta = yaml.safe_load(handle)
    field = sys.argv[1]
    if field == 'fqcn':
        print('%s.%s' % (meta['namespace'], meta['name']))
    elif field == 'tarball':
        print('%s-%s-%s.tar.gz' % (meta['namespace'], meta['name'], meta['version']))
    else:
        print(meta[field])


if __name__ == '__main__':
    main()
