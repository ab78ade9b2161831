#!/usr/bin/env bash
# A demo PKI for the local stack (make run, make test), so the whole signing flow works
# without a real CA: under $VAR/pki (mode 0700, keys 0600)
#   root.pem, inter.pem          "Motcua Demo Root CA" and its intermediate
#   leader.p12 + leader.pass     giomy.lanhdao's signing certificate (for motcua-sign),
#   leader.key, leader.pem       the same key and certificate in PEM (for tests)
#   seal.p12 + seal.pass         the organization's seal (MOTCUA_SEAL_P12, MOTCUA_SEAL_PASS_FILE)
#   root.crl.pem, inter.crl.pem  their CRLs (nothing revoked, a year long)
# and registers them in the stack's database: the root as a trusted CA, the CRLs, and the
# leader's certificate in officer_certificates for giomy.lanhdao. Idempotent: keys and
# certificates are made once; the registrations are made only if missing.
#
#   VAR=./var scripts/demo-pki.sh       (the stack's MariaDB must be running and migrated)
# NOT for production: the passwords are written next to the keys.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=$(cd "${VAR:-$ROOT/var}" && pwd)
PKI=$VAR/pki
DB_SOCK=$VAR/run/mysqld.sock
LEADER=${DEMO_LEADER:-giomy.lanhdao}
sql() { mariadb --no-defaults --socket="$DB_SOCK" -u"$(id -un)" -N -B motcua "$@"; }

umask 077
mkdir -p "$PKI"
chmod 700 "$PKI"
cd "$PKI"

rsa() { [ -f "$1.key" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }

if [ ! -f seal.p12 ]; then
	rm -rf ca && mkdir -p ca/root ca/inter
	for c in root inter; do : > ca/$c/index.txt; echo 1000 > ca/$c/serial; echo 1000 > ca/$c/crlnumber; done
	cat > ca.cnf <<'CNF'
[ root ]
dir = ca/root
database = $dir/index.txt
serial = $dir/serial
crlnumber = $dir/crlnumber
new_certs_dir = $dir
certificate = root.pem
private_key = root.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
default_days = 1825
default_crl_days = 365
[ inter ]
dir = ca/inter
database = $dir/index.txt
serial = $dir/serial
crlnumber = $dir/crlnumber
new_certs_dir = $dir
certificate = inter.pem
private_key = inter.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
default_days = 730
default_crl_days = 365
[ any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
[ dn ]
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_signer ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
	for k in root inter leader seal; do rsa "$k" & done
	wait
	openssl req -new -x509 -config ca.cnf -extensions v3_root -key root.key -days 3650 -utf8 \
		-subj "/C=VN/O=Motcua Demo/CN=Motcua Demo Root CA" -out root.pem
	# issue NAME CA EXT SUBJECT
	issue() {
		openssl req -new -config ca.cnf -key "$1.key" -utf8 -subj "$4" -out "$1.csr"
		openssl ca -batch -config ca.cnf -name "$2" -extensions "$3" -notext -utf8 \
			-in "$1.csr" -out "$1.pem" 2>/dev/null
		rm -f "$1.csr"
	}
	issue inter root v3_inter "/C=VN/O=Motcua Demo/CN=Motcua Demo Signing CA"
	issue leader inter v3_signer "/C=VN/O=UBND xã Gio Mỹ/OU=Lãnh đạo/CN=Lãnh đạo xã Gio Mỹ (demo)"
	issue seal inter v3_signer "/C=VN/O=UBND xã Gio Mỹ/CN=UBND xã Gio Mỹ (con dấu demo)"
	openssl ca -gencrl -config ca.cnf -name root -out root.crl.pem 2>/dev/null
	openssl ca -gencrl -config ca.cnf -name inter -out inter.crl.pem 2>/dev/null
	cat inter.pem root.pem > chain.pem
	echo "motcua-demo-leader" > leader.pass
	echo "motcua-demo-seal" > seal.pass
	openssl pkcs12 -export -inkey leader.key -in leader.pem -certfile chain.pem \
		-name "giomy.lanhdao" -passout file:leader.pass -out leader.p12
	openssl pkcs12 -export -inkey seal.key -in seal.pem -certfile chain.pem \
		-name "seal" -passout file:seal.pass -out seal.p12
	chmod 600 ./*.key ./*.p12 ./*.pass
	echo "demo PKI made in $PKI"
fi

# ---- registrations (each only if missing)
hexder() { openssl x509 -in "$1" -outform DER | od -An -v -tx1 | tr -d ' \n'; }
sha() { openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }
name() { openssl x509 -in "$1" -noout "$2" -nameopt RFC2253,-esc_msb | sed 's/^[a-z]*=//'; }
when() { date -u -d "$(openssl x509 -in "$1" -noout "$2" | cut -d= -f2)" '+%Y-%m-%d %H:%M:%S'; }
q() { printf '%s' "$1" | sed "s/'/''/g"; }

root_sha=$(sha root.pem)
sql -e "INSERT INTO trusted_cas (name, der, sha256, subject, not_after, added_at, active)
	SELECT 'Motcua Demo Root CA (make run)', X'$(hexder root.pem)', '$root_sha',
	       '$(q "$(name root.pem -subject)")', '$(when root.pem -enddate)', UTC_TIMESTAMP(), 1
	FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM trusted_cas WHERE sha256 = '$root_sha');
	UPDATE trust_generation SET gen = gen + 1 WHERE id = 1;"
for crl in root.crl.pem inter.crl.pem; do
	der=$(openssl crl -in "$crl" -outform DER | od -An -v -tx1 | tr -d ' \n')
	this=$(date -u -d "$(openssl crl -in "$crl" -noout -lastupdate | cut -d= -f2)" '+%Y-%m-%d %H:%M:%S')
	next=$(date -u -d "$(openssl crl -in "$crl" -noout -nextupdate | cut -d= -f2)" '+%Y-%m-%d %H:%M:%S')
	sql -e "INSERT INTO crls (ca_id, der, this_update, next_update, added_at)
		SELECT NULL, X'$der', '$this', '$next', UTC_TIMESTAMP() FROM DUAL
		WHERE NOT EXISTS (SELECT 1 FROM crls WHERE der = X'$der');"
done
leader_sha=$(sha leader.pem)
serial=$(openssl x509 -in leader.pem -noout -serial | cut -d= -f2 | tr a-f A-F)
# chain_pem: the certificate and its intermediate, as a registration through the API
# keeps them (the intermediate is not a trust anchor, so the chain is judged again with it)
sql -e "INSERT INTO officer_certificates (officer_id, der, sha256, subject, issuer, serial_hex,
		not_before, not_after, added_by, added_at, active, chain_pem)
	SELECT o.id, X'$(hexder leader.pem)', '$leader_sha', '$(q "$(name leader.pem -subject)")',
	       '$(q "$(name leader.pem -issuer)")', '$serial', '$(when leader.pem -startdate)',
	       '$(when leader.pem -enddate)', NULL, UTC_TIMESTAMP(), 1,
	       '$(cat leader.pem inter.pem)'
	FROM officers o WHERE o.username = '$(q "$LEADER")'
	AND NOT EXISTS (SELECT 1 FROM officer_certificates WHERE sha256 = '$leader_sha');"

# ---- the seal for motcua-fcgi
if [ -f "$VAR/env" ]; then
	sed -i -e '/^MOTCUA_SEAL_P12=/d' -e '/^MOTCUA_SEAL_PASS_FILE=/d' "$VAR/env"
	printf 'MOTCUA_SEAL_P12=%s\nMOTCUA_SEAL_PASS_FILE=%s\n' "$PKI/seal.p12" "$PKI/seal.pass" >> "$VAR/env"
fi
