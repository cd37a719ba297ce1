import { describe, expect, it } from 'vitest';
import { ALL_PII_ENTITIES, detectPii, piiDetector } from '../src/pii/index.ts';

const ALL = { entities: ALL_PII_ENTITIES };

/** The (type, matched text) pairs found in `text`. */
function found(text: string, opts: Parameters<typeof detectPii>[1] = ALL): [string, string][] {
  return detectPii(text, opts).map((f) => [f.type, text.slice(f.start, f.end)]);
}

function typesIn(text: string, opts: Parameters<typeof detectPii>[1] = ALL): string[] {
  return detectPii(text, opts).map((f) => f.type);
}

describe('EMAIL_ADDRESS', () => {
  it('finds addresses with subdomains, plus tags and punctuation around them', () => {
    expect(found('Write to jane.doe+news@mail.example.co.uk, please.')).toEqual([
      ['EMAIL_ADDRESS', 'jane.doe+news@mail.example.co.uk'],
    ]);
  });
  it('ignores things that only look like addresses', () => {
    expect(typesIn('user@localhost and @mentions and a@b')).not.toContain('EMAIL_ADDRESS');
  });
});

describe('PHONE_NUMBER', () => {
  it.each([
    ['Call me at (415) 867-5309 tomorrow', '(415) 867-5309'],
    ['my mobile is +44 20 7946 0958', '+44 20 7946 0958'],
    ['Fax: +41 (0)44 668 18 00', '+41 (0)44 668 18 00'],
    ['reach me on 0488 12 34 56 after six', '0488 12 34 56'],
    ['Desk: 212-555-0147 x204', '212-555-0147 x204'],
    ['text me at +1-202-555-0143', '+1-202-555-0143'],
  ])('finds %j', (text, value) => {
    expect(found(text)).toContainEqual(['PHONE_NUMBER', value]);
  });

  it('reads national numbers in the given region', () => {
    expect(found('ring 020 7946 0958', { region: 'GB' })).toContainEqual(['PHONE_NUMBER', '020 7946 0958']);
  });

  it.each([
    'Your order number is 4412 9081 7733.',
    'ISBN 978-3-16-148410-0',
    'The sequence is 3 9 5 2 11 1',
    'In the 1999-2004 seasons 1500 people came',
    'Invoice ref 839201746 was paid',
    'Total: $1 250 000',
    'upgrade to version 10.4.22.1',
  ])('does not take %j for a phone number', (text) => {
    expect(typesIn(text)).not.toContain('PHONE_NUMBER');
  });
});

describe('CREDIT_CARD', () => {
  it.each([
    ['card 4111 1111 1111 1111 expires soon', '4111 1111 1111 1111'],
    ['Amex 3782 822463 10005', '3782 822463 10005'],
    ['pay with 5555-5555-5555-4444', '5555-5555-5555-4444'],
    ['My credit card number is 6011000990139424', '6011000990139424'],
  ])('finds %j', (text, value) => {
    expect(found(text)).toContainEqual(['CREDIT_CARD', value]);
  });

  it('rejects numbers that fail the Luhn check', () => {
    expect(typesIn('card 4111 1111 1111 1112')).not.toContain('CREDIT_CARD');
  });
  it('does not report a Luhn-valid number that context calls an order number', () => {
    expect(typesIn('order number 4111111111111111')).not.toContain('CREDIT_CARD');
  });
  it('rejects repeated digits and odd groupings', () => {
    expect(typesIn('0000 0000 0000 0000')).not.toContain('CREDIT_CARD');
    expect(typesIn('41 11 11 11 11 11 11 11')).not.toContain('CREDIT_CARD');
  });
});

describe('IBAN_CODE', () => {
  it.each([
    ['IBAN GB82 WEST 1234 5698 7654 32 please', 'GB82 WEST 1234 5698 7654 32'],
    ['to DE89370400440532013000.', 'DE89370400440532013000'],
    ['lower case gb82west12345698765432 works', 'gb82west12345698765432'],
  ])('finds %j', (text, value) => {
    expect(found(text)).toContainEqual(['IBAN_CODE', value]);
  });
  it('rejects a bad checksum or a wrong length', () => {
    expect(typesIn('IBAN GB83 WEST 1234 5698 7654 32')).not.toContain('IBAN_CODE');
    expect(typesIn('IBAN DE8937040044053201300')).not.toContain('IBAN_CODE');
  });
});

describe('US_SSN', () => {
  it('finds a formatted number, more surely with context', () => {
    const plain = detectPii('ref 536-22-1784', ALL).find((f) => f.type === 'US_SSN');
    const cued = detectPii('SSN: 536-22-1784', ALL).find((f) => f.type === 'US_SSN');
    expect(plain).toBeDefined();
    expect(cued!.score).toBeGreaterThan(plain!.score);
  });
  it('needs context for an unformatted number', () => {
    expect(typesIn('number 536221784')).not.toContain('US_SSN');
    expect(found('my social security number is 536221784')).toContainEqual(['US_SSN', '536221784']);
  });
  it.each(['000-12-3456', '666-12-3456', '923-12-3456', '536-00-1784', '536-22-0000', '078-05-1120', '123-45-6789'])(
    'rejects the invalid number %s',
    (ssn) => {
      expect(typesIn(`SSN ${ssn}`)).not.toContain('US_SSN');
    },
  );
});

describe('IP_ADDRESS', () => {
  it.each([
    ['blocked from 192.168.10.25 again', '192.168.10.25'],
    ['subnet 10.0.0.0/8', '10.0.0.0/8'],
    ['host 2001:db8:85a3::8a2e:370:7334 is down', '2001:db8:85a3::8a2e:370:7334'],
    ['fe80:0:0:0:202:b3ff:fe1e:8329', 'fe80:0:0:0:202:b3ff:fe1e:8329'],
  ])('finds %j', (text, value) => {
    expect(found(text)).toContainEqual(['IP_ADDRESS', value]);
  });
  it.each([
    'please install version 1.2.3.4',
    'release v1.2.3.4 is out',
    'OID 1.3.6.1.4.1',
    'see section 3.2.1.4',
    'at 12:30:45 we left',
    'std::vector',
    'not an address 256.1.1.1',
  ])('does not take %j for an address', (text) => {
    expect(typesIn(text)).not.toContain('IP_ADDRESS');
  });
});

describe('dates', () => {
  it.each([
    ['I was born on 12/03/1985.', '12/03/1985'],
    ['DOB: 1985-03-12', '1985-03-12'],
    ['Date of birth: March 12, 1985', 'March 12, 1985'],
    ['her birthday is 3 July 1990', '3 July 1990'],
  ])('finds the date of birth in %j', (text, value) => {
    expect(found(text)).toContainEqual(['DATE_OF_BIRTH', value]);
  });
  it('reports plain dates only when DATE_TIME is asked for', () => {
    const text = 'The meeting is on 2024-05-01 at noon';
    expect(typesIn(text)).toContain('DATE_TIME');
    expect(typesIn(text, {})).not.toContain('DATE_TIME');
  });
  it('rejects impossible dates and bare years', () => {
    expect(typesIn('born on 2001-02-30')).toEqual([]);
    expect(typesIn('founded in 1977')).toEqual([]);
  });
});

describe('STREET_ADDRESS', () => {
  it.each([
    [
      'I live at 1600 Pennsylvania Avenue NW, Washington, DC 20500.',
      '1600 Pennsylvania Avenue NW, Washington, DC 20500',
    ],
    ['Send it to 221B Baker Street, London NW1 6XE', '221B Baker Street, London NW1 6XE'],
    ['Office: Hauptstraße 5, 10115 Berlin', 'Hauptstraße 5, 10115 Berlin'],
    [
      'ship to 742 Evergreen Terrace Apt 3, Springfield, OR 97477',
      '742 Evergreen Terrace Apt 3, Springfield, OR 97477',
    ],
    ['PSC 1234, Box 5678\nAPO AE 09012', 'PSC 1234, Box 5678\nAPO AE 09012'],
    ['12 rue des Lilas, 75011 Paris', '12 rue des Lilas, 75011 Paris'],
  ])('finds %j', (text, value) => {
    expect(found(text)).toContainEqual(['STREET_ADDRESS', value]);
  });
  it('grows over unit and city lines of a postal block', () => {
    const text = 'Ana Lima\n48 Oak Lane\nSuite 200\nPortland, OR 97201\n';
    expect(found(text)).toContainEqual(['STREET_ADDRESS', '48 Oak Lane\nSuite 200\nPortland, OR 97201']);
  });
  it.each([
    'There are 20 chairs in each row.',
    'It costs $5 per square foot.',
    'Install the Windows 11 update',
    'Read Chapter 5 and Section 2',
    'She found $12 on the street.',
    'Apollo 11 landed in 1969',
  ])('does not take %j for an address', (text) => {
    expect(typesIn(text)).not.toContain('STREET_ADDRESS');
  });
});

describe('PERSON', () => {
  it.each([
    ['My name is Sarah Connor.', 'Sarah Connor'],
    ['Dr. Okonkwo will see you now', 'Okonkwo'],
    ['Hi Kevin, thanks for the update', 'Kevin'],
    ['Please ask Mr. Fairweather to call', 'Fairweather'],
    ['Regards,\nMaria Gonzalez\nHead of Sales', 'Maria Gonzalez'],
    ['The report was written by Ingrid Lindqvist and reviewed later', 'Ingrid Lindqvist'],
    ['Anna, Derek, Hannah and Tamsin came', 'Tamsin'],
    ["I'm Tendai, nice to meet you", 'Tendai'],
  ])('finds the name in %j', (text, value) => {
    expect(found(text)).toContainEqual(['PERSON', value]);
  });
  it.each([
    'Monday we meet in January.',
    'Thank You for your Order',
    'I moved to Paris last year',
    'She works for Microsoft Corporation',
    'The Beatles played at the Cavern Club',
    'Capitalized words like Wisdom and Discipline are not names',
    'Customer Service will Call You Back',
  ])('does not take %j for a name', (text) => {
    expect(typesIn(text)).not.toContain('PERSON');
  });
});

describe('context-only identifiers', () => {
  it('finds a driver licence and a ZIP code after their names', () => {
    expect(found("My driver's license number is D1234567")).toContainEqual(['US_DRIVER_LICENSE', 'D1234567']);
    expect(found('zip code: 94107')).toContainEqual(['ZIP_CODE', '94107']);
  });
  it('does not report bare numbers as either', () => {
    expect(typesIn('D1234567 and 94107')).toEqual([]);
  });
});

describe('detectPii contract', () => {
  const sample =
    'Hi, I am Priya Raman, card 4111 1111 1111 1111, mail priya.raman@example.org, call +44 20 7946 0958, ' +
    'IBAN GB82 WEST 1234 5698 7654 32, SSN 536-22-1784, from 203.0.113.9, born 1990-04-02.';
  const values = [
    'Priya',
    'Raman',
    '4111',
    'priya.raman@example.org',
    '7946',
    'GB82',
    '536-22-1784',
    '203.0.113.9',
    '1990-04-02',
  ];

  it('finds every kind in one text, without overlaps, in order', () => {
    const f = detectPii(sample, ALL);
    expect(new Set(f.map((x) => x.type))).toEqual(
      new Set([
        'PERSON',
        'CREDIT_CARD',
        'EMAIL_ADDRESS',
        'PHONE_NUMBER',
        'IBAN_CODE',
        'US_SSN',
        'IP_ADDRESS',
        'DATE_OF_BIRTH',
      ]),
    );
    for (let i = 1; i < f.length; i++) expect(f[i]!.start).toBeGreaterThanOrEqual(f[i - 1]!.end);
  });

  it('never puts the matched text in a finding', () => {
    const json = JSON.stringify(detectPii(sample, ALL));
    for (const v of values) expect(json).not.toContain(v);
  });

  it('is deterministic', () => {
    expect(detectPii(sample, ALL)).toEqual(detectPii(sample, ALL));
  });

  it('honours entities and minScore', () => {
    expect(new Set(typesIn(sample, { entities: ['EMAIL_ADDRESS', 'NOT_A_TYPE'] }))).toEqual(new Set(['EMAIL_ADDRESS']));
    expect(detectPii(sample, { minScore: 1.01 })).toEqual([]);
  });

  it('does not half-report a card as a phone number when only phones are asked for', () => {
    expect(typesIn('card 4111 1111 1111 1111', { entities: ['PHONE_NUMBER'] })).toEqual([]);
  });

  it('is a Detector', () => {
    expect(piiDetector.name).toBe('pii');
    const r = piiDetector.detect('mail a@example.com');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ detector: 'pii', type: 'EMAIL_ADDRESS', start: 5, end: 18 });
    expect(r.text).toBeUndefined();
  });

  it('handles empty and whitespace input', () => {
    expect(detectPii('')).toEqual([]);
    expect(detectPii(' \n\t ')).toEqual([]);
  });
});
