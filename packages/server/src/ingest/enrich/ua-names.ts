// Friendly browser and OS names: ua-parser-js's names mapped to the ones the dashboard shows.

/** ua-parser-js browser name -> the name we store. Names not listed are stored as ua-parser gives them. */
export const BROWSER_NAMES: Readonly<Record<string, string>> = {
  // Device type is its own dimension, so the mobile flavour of a browser is the same browser.
  'Mobile Safari': 'Safari',
  'Mobile Chrome': 'Chrome',
  'Mobile Firefox': 'Firefox',
  'Chrome Headless': 'Headless Chrome',
  'Chrome WebView': 'Android WebView',
  Webkit: 'WebKit',
  IE: 'Internet Explorer',
  IEMobile: 'Internet Explorer',
  'Samsung Browser': 'Samsung Internet',
  'Opera Mobi': 'Opera',
  'Opera Touch': 'Opera',
  'Opera GX': 'Opera',
  'Opera Coast': 'Opera',
  Yandex: 'Yandex Browser',
  UCBrowser: 'UC Browser',
  'UC Browser': 'UC Browser',
  GSA: 'Google App',
  'MIUI Browser': 'Mi Browser',
  Silk: 'Amazon Silk',
  'Huawei Browser': 'Huawei Browser',
  'Coc Coc': 'Coc Coc',
  'Sogou Mobile': 'Sogou Browser',
  'Sogou Explorer': 'Sogou Browser',
  '360': '360 Browser',
};

/** ua-parser-js OS name -> the name we store. Linux distributions fold into "Linux": rare and not worth a row each. */
export const OS_NAMES: Readonly<Record<string, string>> = {
  'Mac OS': 'macOS',
  'Chromium OS': 'Chrome OS',
  'Android-x86': 'Android',
  KAIOS: 'KaiOS',
  Ubuntu: 'Linux',
  Kubuntu: 'Linux',
  Xubuntu: 'Linux',
  Lubuntu: 'Linux',
  Debian: 'Linux',
  Fedora: 'Linux',
  Mint: 'Linux',
  Arch: 'Linux',
  Gentoo: 'Linux',
  SUSE: 'Linux',
  openSUSE: 'Linux',
  'Red Hat': 'Linux',
  RedHat: 'Linux',
  CentOS: 'Linux',
  Mandriva: 'Linux',
  Mageia: 'Linux',
  Slackware: 'Linux',
  Manjaro: 'Linux',
  Deepin: 'Linux',
  'elementary OS': 'Linux',
  Sabayon: 'Linux',
  Linpus: 'Linux',
  Zenwalk: 'Linux',
  PCLinuxOS: 'Linux',
  VectorLinux: 'Linux',
  Knoppix: 'Linux',
  Joli: 'Linux',
  Hurd: 'Linux',
  GNU: 'Linux',
};

/**
 * How to shorten an OS version per stored OS name. Default: the major number.
 * - keep: the version is a name already ("XP", "8.1", "One").
 * - majorMinor10: macOS 10.x needs its minor to mean anything ("10.15"); 11+ uses the major.
 * - none: the number is not one users know (Chrome OS platform builds) or belongs to a folded distribution.
 */
export const OS_VERSION_STYLE: Readonly<Record<string, 'keep' | 'majorMinor10' | 'none'>> = {
  Windows: 'keep',
  'Windows Phone': 'keep',
  'Windows Mobile': 'keep',
  Xbox: 'keep',
  macOS: 'majorMinor10',
  'Chrome OS': 'none',
  Linux: 'none',
};
