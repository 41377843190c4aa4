import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch, refusalOf, resolveOutbound } from './outbound.ts';

const allowed = process.env.OFFBOARD_OUTBOUND_ALLOW;
afterEach(() => {
  process.env.OFFBOARD_OUTBOUND_ALLOW = allowed;
});

describe('the outbound guard', () => {
  it('refuses special-purpose addresses of both families, including IPv4 in IPv6 clothing', () => {
    process.env.OFFBOARD_OUTBOUND_ALLOW = '';
    for (const address of [
      '127.0.0.1',
      '127.9.9.9',
      '0.0.0.0',
      '10.0.0.1',
      '100.64.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      'fd00:ec2::254',
      'fc00::1',
      'fe80::1',
      'ff02::1',
    ]) {
      expect(refusalOf(address), address).toMatch(/special-purpose/);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(refusalOf(address), address).toBeUndefined();
    }
  });

  it('opens exactly what the operator allows', () => {
    process.env.OFFBOARD_OUTBOUND_ALLOW = '127.0.0.1, 10.1.0.0/16,::1';
    expect(refusalOf('127.0.0.1')).toBeUndefined();
    expect(refusalOf('127.0.0.2')).toMatch(/special-purpose/);
    expect(refusalOf('10.1.200.3')).toBeUndefined();
    expect(refusalOf('10.2.0.1')).toMatch(/special-purpose/);
    expect(refusalOf('::1')).toBeUndefined();
    process.env.OFFBOARD_OUTBOUND_ALLOW = 'not-an-ip';
    expect(() => refusalOf('8.8.8.8')).toThrow(/OFFBOARD_OUTBOUND_ALLOW/);
  });

  it('checks names after resolving them, and literals before any socket opens', async () => {
    process.env.OFFBOARD_OUTBOUND_ALLOW = '';
    await expect(resolveOutbound('localhost')).rejects.toThrow(/refused to connect to localhost/);
    await expect(guardedFetch('http://169.254.169.254/latest/meta-data/')).rejects.toThrow(/refused/);
    await expect(guardedFetch('file:///etc/passwd')).rejects.toThrow(/not http or https/);
    process.env.OFFBOARD_OUTBOUND_ALLOW = '127.0.0.1';
    expect(await resolveOutbound('localhost')).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
