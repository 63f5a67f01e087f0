{{/* Names */}}

{{- define "substra.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-substra-backend, or the release alone when it already holds the chart name. */}}
{{- define "substra.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Object name of a component: (list $ "api") */}}
{{- define "substra.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "substra.fullname" $root | trunc 50 | trimSuffix "-") (index . 1) -}}
{{- end -}}

{{- define "substra.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "substra.name" . }}
{{- end -}}

{{- define "substra.labels" -}}
{{ include "substra.commonLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of a component: (list $ "api"). The name label keeps the Substra chart's
     `substra-backend-<component>` form so that label selectors in operators' scripts keep working. */}}
{{- define "substra.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ printf "%s-%s" (include "substra.name" $root) (index . 1) }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- end -}}

{{- define "substra.componentLabels" -}}
{{ include "substra.commonLabels" (index . 0) }}
{{ include "substra.selectorLabels" . }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Images */}}

{{/* registry/repository:tag, the registry left out when empty. */}}
{{- define "substra.image" -}}
{{- if .registry -}}
{{- printf "%s/%s:%s" .registry .repository (toString .tag) -}}
{{- else -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
{{- end -}}

{{/* imagePullSecrets from a list of names or of {name: ...} objects. */}}
{{- define "substra.imagePullSecrets" -}}
{{- if . }}
imagePullSecrets:
{{- range . }}
  {{- if kindIs "map" . }}
  - name: {{ .name }}
  {{- else }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Security */}}

{{- define "substra.podSecurityContext" -}}
{{- if .enabled }}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .runAsUser }}
  runAsGroup: {{ .runAsGroup }}
  fsGroup: {{ .fsGroup }}
  seccompProfile:
    type: RuntimeDefault
{{- end }}
{{- end -}}

{{/* The services need no privilege at all. */}}
{{- define "substra.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  privileged: false
  runAsNonRoot: true
  capabilities:
    drop: ["ALL"]
{{- end -}}

{{- define "substra.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* storageClassName line; "-" asks for no dynamic provisioning, "" for the cluster default. */}}
{{- define "substra.storageClass" -}}
{{- if . -}}
{{- if eq "-" (toString .) }}
storageClassName: ""
{{- else }}
storageClassName: {{ . | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Probes */}}

{{/* httpGet probe from a block with path and timings: (dict "probe" $block "port" "http") */}}
{{- define "substra.httpProbe" -}}
httpGet:
  path: {{ .probe.path }}
  port: {{ .port }}
{{- range $k := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "failureThreshold" "successThreshold" }}
{{- if hasKey $.probe $k }}
{{ $k }}: {{ index $.probe $k }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Liveness and readiness of the services other than api-service. */}}
{{- define "substra.quarkusProbes" -}}
livenessProbe:
  {{- include "substra.httpProbe" (dict "probe" .Values.probes.liveness "port" "http") | nindent 2 }}
readinessProbe:
  {{- include "substra.httpProbe" (dict "probe" .Values.probes.readiness "port" "http") | nindent 2 }}
{{- end -}}

{{/* Endpoints of the dependencies */}}

{{- define "substra.postgresql.host" -}}
{{- if .Values.postgresql.host -}}
{{- .Values.postgresql.host -}}
{{- else -}}
{{- printf "%s-postgresql" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "substra.rabbitmq.host" -}}
{{- if .Values.rabbitmq.host -}}
{{- .Values.rabbitmq.host -}}
{{- else -}}
{{- printf "%s-rabbitmq" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "substra.objectStore.url" -}}
{{- $host := .Values.minio.host | default (printf "%s-minio" .Release.Name | trunc 63 | trimSuffix "-") -}}
{{- printf "%s://%s:%v" (ternary "https" "http" .Values.minio.secure) $host .Values.minio.port -}}
{{- end -}}

{{- define "substra.registry.serviceName" -}}
{{- printf "%s-docker-registry" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* host:port where compute-service and Kaniko push images. */}}
{{- define "substra.registry.address" -}}
{{- if .Values.containerRegistry.local -}}
{{- printf "%s:%v" (include "substra.registry.serviceName" .) (index .Values "docker-registry" "service" "port") -}}
{{- else -}}
{{- printf "%s:%v" .Values.containerRegistry.host .Values.containerRegistry.port -}}
{{- end -}}
{{- end -}}

{{- define "substra.orchestrator.host" -}}
{{- if .Values.orchestrator.standalone.enabled -}}
{{- include "substra.componentName" (list . "orchestrator") -}}
{{- else -}}
{{- .Values.orchestrator.host -}}
{{- end -}}
{{- end -}}

{{/* Names of the served channels, comma separated. */}}
{{- define "substra.channelNames" -}}
{{- $names := list -}}
{{- range .Values.orchestrator.channels -}}
{{- range $name, $_ := . -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{/* Service accounts */}}

{{- define "substra.compute.serviceAccountName" -}}
{{- if .Values.worker.rbac.create -}}
{{- include "substra.componentName" (list . "compute") -}}
{{- else -}}
default
{{- end -}}
{{- end -}}

{{- define "substra.event.serviceAccountName" -}}
{{- if .Values.events.serviceAccount.create -}}
{{- .Values.events.serviceAccount.name | default (include "substra.componentName" (list . "event")) -}}
{{- else -}}
{{- .Values.events.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "substra.schedulerWorker.serviceAccountName" -}}
{{- if .Values.schedulerWorker.rbac.create -}}
{{- include "substra.componentName" (list . "scheduler-worker") -}}
{{- else -}}
default
{{- end -}}
{{- end -}}

{{/* PodSecurityPolicy is gone from Kubernetes 1.25; render it only where the API is still served. */}}
{{- define "substra.psp.enabled" -}}
{{- if and .Values.psp.create (.Capabilities.APIVersions.Has "policy/v1beta1/PodSecurityPolicy") -}}
true
{{- end -}}
{{- end -}}

{{/* Private CA: the add-cert init container builds a bundle (system CAs + the private one) in an
     emptyDir that replaces /etc/ssl/certs; the JVM services trust that bundle through Quarkus' TLS
     registry, which reads PEM files directly. */}}

{{- define "substra.privateCa.initContainer" -}}
{{- if .Values.privateCa.enabled }}
- name: add-cert
  image: {{ printf "%s:%s" .Values.privateCa.image.repository (toString .Values.privateCa.image.tag) }}
  imagePullPolicy: {{ .Values.privateCa.image.pullPolicy }}
  # update-ca-certificates writes under /etc, which only root may do.
  securityContext:
    runAsUser: 0
    runAsGroup: 0
    runAsNonRoot: false
    allowPrivilegeEscalation: false
  command: ["/bin/sh", "-c"]
  args:
    - |
      set -e
      {{- if .Values.privateCa.image.apkAdd }}
      apt-get update && apt-get install -y ca-certificates openssl
      {{- end }}
      update-ca-certificates
      cp -r /etc/ssl/certs/* /tmp/certs/
  volumeMounts:
    - name: private-ca
      mountPath: /usr/local/share/ca-certificates/{{ .Values.privateCa.configMap.fileName }}
      subPath: {{ .Values.privateCa.configMap.fileName }}
    - name: ssl-certs
      mountPath: /tmp/certs
{{- end }}
{{- end -}}

{{- define "substra.privateCa.volumes" -}}
{{- if .Values.privateCa.enabled }}
- name: private-ca
  configMap:
    name: {{ .Values.privateCa.configMap.name }}
- name: ssl-certs
  emptyDir: {}
{{- end }}
{{- end -}}

{{- define "substra.privateCa.volumeMounts" -}}
{{- if .Values.privateCa.enabled }}
- name: ssl-certs
  mountPath: /etc/ssl/certs
  readOnly: true
{{- end }}
{{- end -}}

{{/* Orchestrator TLS material, for the services that call the orchestrator. */}}

{{- define "substra.orchestratorTls.volumes" -}}
{{- if .Values.orchestrator.tls.enabled }}
{{- if .Values.orchestrator.tls.cacert }}
- name: orchestrator-tls-cacert
  configMap:
    name: {{ .Values.orchestrator.tls.cacert }}
{{- end }}
{{- if and .Values.orchestrator.tls.mtls.enabled .Values.orchestrator.tls.mtls.clientCertificate }}
- name: orchestrator-tls-client
  secret:
    secretName: {{ .Values.orchestrator.tls.mtls.clientCertificate }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "substra.orchestratorTls.volumeMounts" -}}
{{- if .Values.orchestrator.tls.enabled }}
{{- if .Values.orchestrator.tls.cacert }}
- name: orchestrator-tls-cacert
  mountPath: /var/substra/orchestrator/tls/server
  readOnly: true
{{- end }}
{{- if and .Values.orchestrator.tls.mtls.enabled .Values.orchestrator.tls.mtls.clientCertificate }}
- name: orchestrator-tls-client
  mountPath: /var/substra/orchestrator/tls/client
  readOnly: true
{{- end }}
{{- end }}
{{- end -}}

{{/* envFrom of the shared ConfigMaps and Secrets: (list $ "settings" "database" ...) */}}
{{- define "substra.envFrom" -}}
{{- $root := index . 0 -}}
envFrom:
{{- range $part := rest . }}
  - configMapRef:
      name: {{ include "substra.componentName" (list $root $part) }}
  {{- if has $part (list "database" "rabbitmq" "objectstore") }}
  - secretRef:
      name: {{ include "substra.componentName" (list $root $part) }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Restarts pods when the configuration they read at start-up changes. */}}
{{- define "substra.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmaps.yaml") . | sha256sum }}
checksum/secrets: {{ include (print .Template.BasePath "/secrets.yaml") . | sha256sum }}
checksum/self: {{ include "substra.selfSecretData" . | sha256sum }}
{{- end -}}

{{/*
The data of Secret <fullname>-self (templates/self-secret.yaml explains each key), also hashed into
the pods' checksum annotation so that a changed secret restarts the pods that read it.
*/}}
{{- define "substra.selfSecretData" -}}
{{- $name := include "substra.componentName" (list . "self") -}}
{{- $installed := (lookup "v1" "Secret" .Release.Namespace $name).data | default dict -}}
{{- $derived := printf "%s/%s/%s" .Release.Namespace .Release.Name (toString .Values.postgresql.postgresqlPassword) -}}
secret: {{ include "substra.keptSecret" (list .Values.orgLink.selfSecret $installed.secret (printf "substra-self/%s" $derived | sha256sum | b64enc)) }}
jwt: {{ include "substra.keptSecret" (list .Values.server.jwtSecret $installed.jwt (printf "substra-jwt/%s" $derived | sha256sum | b64enc)) }}
{{- end -}}

{{/*
A secret's base64 data: the value given (list index 0), else the installed Secret's data (index 1,
already base64) unless it is the value earlier chart versions derived (index 2), else 64 random
alphanumerics.
*/}}
{{- define "substra.keptSecret" -}}
{{- $given := index . 0 | default "" | toString -}}
{{- $installed := index . 1 | default "" -}}
{{- if $given -}}
{{- $given | b64enc | quote -}}
{{- else if and $installed (ne $installed (index . 2)) -}}
{{- $installed | quote -}}
{{- else -}}
{{- randAlphaNum 64 | b64enc | quote -}}
{{- end -}}
{{- end -}}
