#!/usr/bin/env bash
# Build the test PKI and signed fixtures for tests/unit/test_sigverify.c and
# test_pdfsig.c into the directory given as $1 (made if missing). Nothing here is
# committed: keys are generated fresh on every run. Takes a few seconds.
#
# Needs: openssl (3.0), pdfsig (poppler-utils >= 21.x for -add-signature), certutil,
# pk12util and crlutil (libnss3-tools).
#
# Times are relative to now (T): the officer is valid from T-400d to T+365d; the
# "expired" certificate from T-800d to T-30d; revoked_before is revoked at T-90d,
# revoked_after at T-30d. PDFs signed by pdfsig carry signing time T; the test
# program signs two more PDFs itself with a signing time of T-60d (pdfsig cannot
# backdate), for "expired now but valid at signing" and "revoked after signing".
set -euo pipefail
export LC_ALL=C
for t in openssl pdfsig certutil pk12util crlutil; do
	command -v "$t" >/dev/null || {
		echo "make-fixtures.sh: $t is missing (Debian: openssl, poppler-utils, libnss3-tools)" >&2
		exit 1
	}
done
out=${1:?usage: make-fixtures.sh DIR}
mkdir -p "$out"
cd "$out"
rm -rf ca nss-sign nss-rogue nss-verify ./*.pem ./*.key ./*.pdf ./*.p7s ./*.der ./*.p12

day() { date -u -d "@$(( $(date -u +%s) + $1 * 86400 ))" +%Y%m%d%H%M%SZ; }
# Keys: RSA-2048 for everything pdfsig signs with (poppler 22.12 cannot sign with an
# EC key), generated in parallel because that is most of this script's time; P-256
# for the CAs and for revoked_after (signed by the test program only).
rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
pids=()
for k in officer officer2 expired revoked_before wrongku docsign rogue; do rsa "$k" & pids+=($!); done
for k in root inter rogue-root fakeinter revoked_after; do ec "$k"; done
for p in "${pids[@]}"; do wait "$p"; done

mkdir -p ca/root ca/inter ca/rogue
for c in root inter rogue; do
	: > ca/$c/index.txt
	echo 1000 > ca/$c/serial
	echo 1000 > ca/$c/crlnumber
done

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = inter
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
email_in_dn = no
default_crl_days = 30
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
email_in_dn = no
default_crl_days = 30
[ rogue ]
dir = ca/rogue
database = $dir/index.txt
serial = $dir/serial
crlnumber = $dir/crlnumber
new_certs_dir = $dir
certificate = rogue-root.pem
private_key = rogue-root.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ fake ]
dir = ca/fake
database = $dir/index.txt
crlnumber = $dir/crlnumber
certificate = fakeinter.pem
private_key = fakeinter.key
default_md = sha256
default_crl_days = 30
[ any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
[ dn ]
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_rogue ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = ${ENV::ROGUE_SKID}
[ v3_inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_officer ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_docsign ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = 1.3.6.1.4.1.311.10.3.12
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_wrongku ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_rogueleaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
CNF
export ROGUE_SKID=hash

ROOT_SUBJ="/C=VN/O=Motcua Test/CN=Motcua Test Root CA"
# issue NAME CA EXT SUBJECT START END
issue() {
	openssl req -new -config ca.cnf -key "$1.key" -subj "$4" -out "$1.csr" 2>/dev/null
	openssl ca -batch -config ca.cnf -name "$2" -extensions "$3" -startdate "$5" -enddate "$6" \
	    -notext -utf8 -in "$1.csr" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr"
}
selfsign() {   # NAME CASECTION EXT SUBJECT
	openssl req -new -config ca.cnf -key "$1.key" -subj "$4" -out "$1.csr" 2>/dev/null
	openssl ca -batch -config ca.cnf -name "$2" -selfsign -keyfile "$1.key" -extensions "$3" \
	    -startdate 20200101000000Z -enddate 20450101000000Z -notext -utf8 \
	    -in "$1.csr" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr"
}

selfsign root root v3_root "$ROOT_SUBJ"
issue inter root v3_inter "/C=VN/O=Motcua Test/CN=Motcua Test Issuing CA" 20200101000000Z 20400101000000Z
issue officer inter v3_officer "/C=VN/O=UBND Test/CN=Nguyễn Văn An" "$(day -400)" "$(day 365)"
issue officer2 inter v3_officer "/C=VN/O=UBND Test/CN=Trần Thị Bình" "$(day -400)" "$(day 365)"
issue expired inter v3_officer "/C=VN/O=UBND Test/CN=Lê Văn Hết Hạn" "$(day -800)" "$(day -30)"
issue revoked_before inter v3_officer "/C=VN/O=UBND Test/CN=Phạm Thu Hồi Trước" "$(day -400)" "$(day 365)"
issue revoked_after inter v3_officer "/C=VN/O=UBND Test/CN=Phạm Thu Hồi Sau" "$(day -400)" "$(day 365)"
issue wrongku inter v3_wrongku "/C=VN/O=UBND Test/CN=Sai Mục Đích" "$(day -400)" "$(day 365)"
issue docsign inter v3_docsign "/C=VN/O=UBND Test/CN=Văn Thư Đóng Dấu" "$(day -400)" "$(day 365)"

# The look-alike: a self-signed CA with the real root's subject and even its key
# identifier, and a leaf it issued with the officer's subject.
ROGUE_SKID=$(openssl x509 -in root.pem -noout -ext subjectKeyIdentifier | sed -n 2p | tr -d ' ')
export ROGUE_SKID
selfsign rogue-root rogue v3_rogue "$ROOT_SUBJ"
issue rogue rogue v3_rogueleaf "/C=VN/O=UBND Test/CN=Nguyễn Văn An" "$(day -400)" "$(day 365)"
export ROGUE_SKID=hash

# Revocations: openssl ca records "now"; rewrite the date in index.txt, then the CRL.
serial_of() { openssl x509 -in "$1.pem" -noout -serial | cut -d= -f2; }
revoke() {    # NAME DAYS_OFFSET
	local s d
	s=$(serial_of "$1")
	d=$(date -u -d "@$(( $(date -u +%s) + $2 * 86400 ))" +%y%m%d%H%M%SZ)
	openssl ca -batch -config ca.cnf -name inter -revoke "$1.pem" -crl_reason keyCompromise 2>/dev/null
	awk -F'\t' -v OFS='\t' -v s="$s" -v d="$d" '$4 == s { split($3, a, ","); $3 = d "," a[2] } { print }' \
	    ca/inter/index.txt > ca/inter/index.new
	mv ca/inter/index.new ca/inter/index.txt
}
revoke revoked_before -90
revoke revoked_after -30
openssl ca -batch -config ca.cnf -name inter -gencrl -crldays 30 -out inter-crl.pem 2>/dev/null
openssl crl -in inter-crl.pem -outform DER -out inter-crl.der
openssl ca -batch -config ca.cnf -name root -gencrl -crldays 30 -out root-crl.pem 2>/dev/null
openssl crl -in root-crl.pem -outform DER -out root-crl.der
# A forged CRL: the intermediate's name, signed by another key, listing the officer.
openssl req -new -x509 -config ca.cnf -key fakeinter.key -subj "/C=VN/O=Motcua Test/CN=Motcua Test Issuing CA" \
    -days 30 -out fakeinter.pem 2>/dev/null
mkdir -p ca/fake && : > ca/fake/index.txt && echo 1000 > ca/fake/crlnumber
printf 'R\t%s\t%s,keyCompromise\t%s\tunknown\t/CN=x\n' "$(openssl x509 -in officer.pem -noout -enddate | cut -d= -f2 | xargs -I{} date -u -d {} +%y%m%d%H%M%SZ)" \
    "$(date -u -d "@$(( $(date -u +%s) - 200 * 86400 ))" +%y%m%d%H%M%SZ)" "$(serial_of officer)" > ca/fake/index.txt
openssl ca -batch -config ca.cnf -name fake -gencrl -out forged-crl.pem 2>/dev/null
openssl crl -in forged-crl.pem -outform DER -out forged-crl.der

cat root.pem > trusted.pem
cat inter.pem root.pem > chain.pem

# ---------------------------------------------------------------- detached (.p7s)
head -c 3000 /dev/urandom > doc.bin
cp doc.bin doc-tampered.bin
printf '\x00' | dd of=doc-tampered.bin bs=1 seek=1234 conv=notrunc 2>/dev/null
cmp -s doc.bin doc-tampered.bin && printf '\x01' | dd of=doc-tampered.bin bs=1 seek=1234 conv=notrunc 2>/dev/null
printf 'Kết quả giải quyết hồ sơ\nSố: 123/QĐ-UBND\nngày ký: hôm nay\n' > note.txt
p7s() {   # OUT SIGNER CONTENT [extra openssl cms args]
	local o=$1 s=$2 c=$3
	shift 3
	openssl cms -sign "$@" -md sha256 -outform DER -signer "$s.pem" -inkey "$s.key" \
	    -certfile inter.pem -in "$c" -out "$o"
}
p7s doc.p7s officer doc.bin -binary
p7s doc-cades.p7s officer doc.bin -binary -cades
p7s note-binary.p7s officer note.txt -binary
p7s note-text.p7s officer note.txt
p7s expired.p7s expired doc.bin -binary
p7s revoked_before.p7s revoked_before doc.bin -binary
p7s wrongku.p7s wrongku doc.bin -binary
p7s docsign.p7s docsign doc.bin -binary
openssl cms -sign -binary -md sha256 -outform DER -signer rogue.pem -inkey rogue.key \
    -certfile rogue-root.pem -in doc.bin -out rogue.p7s

# ---------------------------------------------------------------- PDFs
# mkpdf OUT PADDING_BYTES: a one-page PDF with a classic xref table.
mkpdf() {
	local out=$1 pad=$2 body stream i off
	local -a objs offs
	stream=$'BT /F1 18 Tf 72 760 Td (UBND Test - Ket qua giai quyet ho so) Tj ET\n'
	if [ "$pad" -gt 0 ]; then
		local line
		line="% $(printf '%0.s0123456789' {1..9})"
		for ((i = 0; i < pad / ${#line}; i++)); do stream+="$line"$'\n'; done
	fi
	objs[1]='<< /Type /Catalog /Pages 2 0 R >>'
	objs[2]='<< /Type /Pages /Kids [3 0 R] /Count 1 >>'
	objs[3]='<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'
	objs[4]="<< /Length ${#stream} >>"$'\nstream\n'"${stream}endstream"
	objs[5]='<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	objs[6]='<< /Title (Ket qua) /Producer (motcua tests) >>'
	body=$'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'
	for i in 1 2 3 4 5 6; do
		offs[i]=${#body}
		body+="$i 0 obj"$'\n'"${objs[i]}"$'\nendobj\n'
	done
	off=${#body}
	body+=$'xref\n0 7\n0000000000 65535 f \n'
	for i in 1 2 3 4 5 6; do body+="$(printf '%010d 00000 n ' "${offs[i]}")"$'\n'; done
	body+=$'trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n'"$off"$'\n%%EOF\n'
	printf '%s' "$body" > "$out"
}
mkpdf base.pdf 0
mkpdf big.pdf 200000

# NSS databases: one to sign from (keys), one for the rogue, one to verify with.
nssdb() { mkdir -p "$1"; certutil -N -d "sql:$1" --empty-password; }
p12in() {  # DB NAME
	openssl pkcs12 -export -inkey "$2.key" -in "$2.pem" -certfile chain.pem -name "$2" \
	    -passout pass:test -out "$2.p12"
	pk12util -i "$2.p12" -d "sql:$1" -W test >/dev/null
}
nssdb nss-sign
for n in officer officer2 expired revoked_before wrongku docsign; do p12in nss-sign $n; done
nssdb nss-rogue
openssl pkcs12 -export -inkey rogue.key -in rogue.pem -certfile rogue-root.pem -name rogue \
    -passout pass:test -out rogue.p12
pk12util -i rogue.p12 -d sql:nss-rogue -W test >/dev/null
nssdb nss-verify
certutil -A -d sql:nss-verify -n root -t "CT,C,C" -i root.pem
crlutil -I -d sql:nss-verify -i inter-crl.der -B >/dev/null 2>&1 || true

sign() {   # DB NICK IN OUT [more pdfsig args]
	local db=$1 nick=$2 in=$3 o=$4
	shift 4
	pdfsig -nssdir "sql:$db" -add-signature -nick "$nick" "$@" "$in" "$o" >/dev/null 2>&1
}
sign nss-sign officer base.pdf signed.pdf -reason "Ký kết quả"
# (pdfsig 22.12 refuses -etsi with -add-signature: the test signs ETSI.CAdES.detached itself)
sign nss-sign officer2 signed.pdf two.pdf
sign nss-sign officer big.pdf big-signed.pdf
# NSS may refuse some of these keys; the test skips a fixture that is missing.
sign nss-sign expired base.pdf expired-at-signing.pdf || true
sign nss-sign revoked_before base.pdf revoked-before.pdf || true
sign nss-sign wrongku base.pdf wrongku.pdf || true
sign nss-sign docsign base.pdf docsign.pdf || true
sign nss-rogue rogue base.pdf rogue.pdf || true
exit 0
